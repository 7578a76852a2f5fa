package io.lodestar.ingestion.connector.management;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * What the connector API answers. No response carries a credential value: only the names
 * of the credentials that are set.
 */
final class ConnectorResponses {

	private ConnectorResponses() {
	}

	/**
	 * @param id the connector id
	 * @param kind the source kind
	 * @param name its name
	 * @param schedule its cron schedule
	 * @param status {@code active} or {@code paused}
	 * @param pausedReason why it is paused
	 * @param pausedUntil when a daily-quota pause ends
	 * @param settings its settings
	 * @param credentialsSet the names of the credentials stored (never their values)
	 * @param watermark how far it has read
	 * @param nextRunAt when it runs next
	 * @param lastRun its latest run, if any
	 * @param createdAt created
	 * @param updatedAt last changed
	 */
	record ConnectorResponse(UUID id, String kind, String name, String schedule, String status, String pausedReason,
			Instant pausedUntil, JsonNode settings, List<String> credentialsSet, String watermark, Instant nextRunAt,
			RunResponse lastRun, Instant createdAt, Instant updatedAt) {
	}

	/**
	 * @param id the run id
	 * @param connectorId its connector
	 * @param trigger {@code schedule} or {@code manual}
	 * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed},
	 * {@code paused}
	 * @param requestedAt asked for
	 * @param startedAt started
	 * @param finishedAt ended
	 * @param rows rows and events published
	 * @param rejected rows dead-lettered
	 * @param pages pages or files read
	 * @param retries throttled requests retried
	 * @param watermarkBefore the watermark it started from
	 * @param watermarkAfter the watermark it stored
	 * @param error why it failed
	 * @param nextRunAt when the connector runs next
	 */
	record RunResponse(UUID id, UUID connectorId, String trigger, String status, Instant requestedAt, Instant startedAt,
			Instant finishedAt, long rows, long rejected, int pages, int retries, String watermarkBefore,
			String watermarkAfter, String error, Instant nextRunAt) {

		static RunResponse of(RunRow run) {
			return new RunResponse(run.id(), run.connectorId(), run.trigger(), run.status(), run.requestedAt(),
					run.startedAt(), run.finishedAt(), run.rows(), run.rejected(), run.pages(), run.retries(),
					run.watermarkBefore(), run.watermarkAfter(), run.error(), run.nextRunAt());
		}

	}

	/**
	 * @param ok whether the source accepted the connection
	 * @param error what went wrong, without credentials
	 */
	record ConnectionCheckResponse(boolean ok, String error) {
	}

	/**
	 * @param <T> the item type
	 * @param items this page
	 * @param total all items
	 * @param limit the page size
	 * @param offset the first item's position
	 */
	record Page<T>(List<T> items, long total, int limit, int offset) {
	}

}
