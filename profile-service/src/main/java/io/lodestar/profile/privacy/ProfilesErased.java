package io.lodestar.profile.privacy;

import java.util.List;
import java.util.UUID;

/**
 * Published after an erasure deleted these profiles from PostgreSQL, so that what holds
 * copies of their rows in memory drops them.
 *
 * @param workspaceId the workspace
 * @param profileIds the profiles erased
 */
public record ProfilesErased(String workspaceId, List<UUID> profileIds) {
}
