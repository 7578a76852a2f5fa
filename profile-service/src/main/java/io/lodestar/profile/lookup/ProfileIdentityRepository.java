package io.lodestar.profile.lookup;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/**
 * Read-only access to {@code profile.profile_identity}; every method takes the workspace.
 */
interface ProfileIdentityRepository extends Repository<ProfileIdentityEntity, ProfileIdentityEntity.Key> {

	@Query("select i.profileId from ProfileIdentityEntity i where i.workspaceId = ?1 and i.kind = ?2 and i.value = ?3")
	Optional<UUID> findProfileId(String workspaceId, String kind, String value);

}
