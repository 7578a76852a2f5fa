package io.lodestar.ingestion.connector.management;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code ingestion.connector}. Never leaves the service as is: the API answers
 * with {@link ConnectorResponse}, which has no credentials.
 *
 * @param id the connector id
 * @param workspaceId its workspace
 * @param kind the source kind
 * @param name its unique name in the workspace
 * @param credentials the sealed secrets
 * @param settingsJson the settings object as JSON
 * @param schedule the cron expression
 * @param status {@code active} or {@code paused}
 * @param pausedReason why it is paused
 * @param pausedUntil when a daily-quota pause ends, null for a user's pause
 * @param watermark the stored watermark
 * @param nextRunAt when the scheduler runs it next
 * @param createdAt created
 * @param updatedAt last changed
 */
record ConnectorRow(UUID id, String workspaceId, String kind, String name, byte[] credentials, String settingsJson,
		String schedule, String status, String pausedReason, Instant pausedUntil, String watermark, Instant nextRunAt,
		Instant createdAt, Instant updatedAt) {

	static final String ACTIVE = "active";

	static final String PAUSED = "paused";

	@Override
	public String toString() {
		return "ConnectorRow[id=" + this.id + ", workspace=" + this.workspaceId + ", kind=" + this.kind + "]";
	}

}
