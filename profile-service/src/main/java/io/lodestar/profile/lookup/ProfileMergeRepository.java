package io.lodestar.profile.lookup;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/**
 * Read-only access to {@code profile.profile_merge}; every method takes the workspace.
 */
interface ProfileMergeRepository extends Repository<ProfileMergeEntity, ProfileMergeEntity.Key> {

	Optional<ProfileMergeEntity> findByWorkspaceIdAndMergedProfileId(String workspaceId, UUID mergedProfileId);

}
