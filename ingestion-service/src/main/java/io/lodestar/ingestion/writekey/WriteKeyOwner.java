package io.lodestar.ingestion.writekey;

/**
 * Whom a write key belongs to.
 *
 * @param workspaceId the workspace
 * @param sourceId the source within it
 */
public record WriteKeyOwner(String workspaceId, String sourceId) {
}
