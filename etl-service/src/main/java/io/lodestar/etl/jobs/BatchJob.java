package io.lodestar.etl.jobs;

import java.util.List;

/**
 * A batch job the scheduler runs per workspace: on its cron schedule, when a caller
 * triggers it, and again after a failure. A bean of this type is a job; its name is its
 * path in {@code /v1/jobs/{job}}.
 */
public interface BatchJob {

	/**
	 * @return the job's name: lower-case letters, digits and '-', e.g. {@code rfm}
	 */
	String name();

	/**
	 * @return one sentence on what the job does, for {@code GET /v1/jobs}
	 */
	String description();

	/**
	 * @return the parameters the job accepts; any other is refused
	 */
	default List<JobParameter> parameters() {
		return List.of();
	}

	/**
	 * @return whether the job takes a backfill date range ({@code from}, {@code to})
	 */
	default boolean supportsDateRange() {
		return false;
	}

	/**
	 * Checks a request beyond the parameters' types (ranges, combinations).
	 * @param request the typed request
	 * @throws IllegalArgumentException saying what is wrong
	 */
	default void validate(JobRequest request) {
	}

	/**
	 * Does the work for one workspace. A job that cannot do its work throws: the run is
	 * failed with the message, never a silent success.
	 * @param context the run: workspace, parameters, progress
	 * @return rows read and written, and a summary
	 * @throws JobDataException when the workspace's data cannot give a result (not
	 * retried)
	 * @throws Exception any other failure (retried with backoff)
	 */
	JobResult run(JobContext context) throws Exception;

}
