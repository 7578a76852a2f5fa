package io.lodestar.ingestion.connector.management;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code ingestion.connector_run}.
 *
 * @param id the run id
 * @param connectorId its connector
 * @param workspaceId the workspace
 * @param trigger {@code schedule} or {@code manual}
 * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed} or
 * {@code paused} (a daily quota stopped it)
 * @param requestedAt when it was asked for
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param rows rows and events published
 * @param rejected rows dead-lettered
 * @param pages pages (requests, files) read
 * @param retries throttled requests retried
 * @param watermarkBefore the watermark it started from
 * @param watermarkAfter the watermark it stored (null when it failed)
 * @param error why it failed, without credentials
 * @param nextRunAt when the connector runs next, as set at the end
 */
record RunRow(UUID id, UUID connectorId, String workspaceId, String trigger, String status, Instant requestedAt,
		Instant startedAt, Instant finishedAt, long rows, long rejected, int pages, int retries, String watermarkBefore,
		String watermarkAfter, String error, Instant nextRunAt) {

	static final String QUEUED = "queued";

	static final String RUNNING = "running";

	static final String SUCCEEDED = "succeeded";

	static final String FAILED = "failed";

	static final String PAUSED = "paused";

}
