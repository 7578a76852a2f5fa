package io.lodestar.etl.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One run of a job for a workspace, as the history keeps it.
 *
 * @param runId the run's id
 * @param job the job's name
 * @param workspace the workspace
 * @param trigger what started it
 * @param status where it is
 * @param attempt 1 for a first attempt, n for the (n-1)th retry
 * @param retryOf the failed run this one retries
 * @param parameters the job's parameters
 * @param from first day of the backfill range, or null
 * @param to last day of the backfill range, or null
 * @param scheduledFor the cron slot of a scheduled run
 * @param queuedAt when it was queued
 * @param notBefore when it may start (a retry waits for its backoff)
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param durationMs how long it ran
 * @param rowsIn rows read
 * @param rowsOut rows written
 * @param progress how far a running job is
 * @param errorType why it failed: {@code invalid-data} (not retried), {@code job-error},
 * {@code abandoned} (its instance stopped), {@code locked} (another instance held the
 * job)
 * @param error what went wrong
 * @param retriedBy the run that retries this failed one (follow it to the outcome)
 * @param result the job's summary of a successful run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRun(UUID runId, String job, String workspace, Trigger trigger, Status status, int attempt,
		UUID retryOf, Map<String, Object> parameters, LocalDate from, LocalDate to, Instant scheduledFor,
		Instant queuedAt, Instant notBefore, Instant startedAt, Instant finishedAt, Long durationMs, Long rowsIn,
		Long rowsOut, Progress progress, String errorType, String error, UUID retriedBy, Map<String, Object> result) {

	/**
	 * @return whether the run has ended
	 */
	public boolean finished() {
		return this.status == Status.SUCCEEDED || this.status == Status.FAILED;
	}

	/**
	 * How far a running job is.
	 *
	 * @param fraction 0 to 1
	 * @param step what it is doing
	 */
	public record Progress(double fraction, String step) {
	}

	/** What started a run. */
	public enum Trigger {

		/** its cron schedule */
		SCHEDULE,
		/** a caller of the API */
		MANUAL,
		/** the retry of a failed attempt */
		RETRY;

		@JsonValue
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Trigger of(String value) {
			return valueOf(value.toUpperCase(Locale.ROOT));
		}

	}

	/** Where a run is. */
	public enum Status {

		/** waiting for a worker (or for its backoff) */
		QUEUED,
		/** running now */
		RUNNING,
		/** done */
		SUCCEEDED,
		/** ended with an error */
		FAILED;

		@JsonValue
		public String value() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Status of(String value) {
			return valueOf(value.toUpperCase(Locale.ROOT));
		}

	}

}
