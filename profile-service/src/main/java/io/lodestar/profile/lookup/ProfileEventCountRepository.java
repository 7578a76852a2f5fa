package io.lodestar.profile.lookup;

import java.util.List;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/**
 * Read-only access to {@code profile.profile_event_count}; every method takes the
 * workspace.
 */
interface ProfileEventCountRepository extends Repository<ProfileEventCountEntity, ProfileEventCountEntity.Key> {

	List<ProfileEventCountEntity> findByWorkspaceIdAndProfileId(String workspaceId, UUID profileId);

}
