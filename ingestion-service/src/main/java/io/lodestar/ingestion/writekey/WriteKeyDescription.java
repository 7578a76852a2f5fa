package io.lodestar.ingestion.writekey;

import java.time.Instant;
import java.util.UUID;

/**
 * A write key as it may be shown: never the key itself.
 *
 * @param keyId the key's public id
 * @param workspaceId its workspace
 * @param sourceId its source
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, null while valid
 */
public record WriteKeyDescription(UUID keyId, String workspaceId, String sourceId, Instant createdAt,
		Instant revokedAt) {
}
