package io.lodestar.profile.lookup;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/**
 * Read-only access to {@code profile.profile}; every method takes the workspace.
 */
interface ProfileRepository extends Repository<ProfileEntity, ProfileEntity.Key> {

	Optional<ProfileEntity> findByWorkspaceIdAndProfileId(String workspaceId, UUID profileId);

}
