package io.lodestar.etl.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One run as the job sees it: the workspace, the request and a way to report progress.
 */
public final class JobContext {

	/** Receives a running job's progress. */
	@FunctionalInterface
	interface ProgressSink {

		void progress(double fraction, String step);

	}

	private final JobRun run;

	private final Instant startedAt;

	private final ProgressSink sink;

	JobContext(JobRun run, Instant startedAt, ProgressSink sink) {
		this.run = run;
		this.startedAt = startedAt;
		this.sink = sink;
	}

	/**
	 * A context outside the scheduler (tests, a command line): progress goes nowhere.
	 * @param workspace the workspace
	 * @param request the request
	 * @return the context
	 */
	public static JobContext standalone(String job, String workspace, JobRequest request) {
		Instant now = Instant.now();
		JobRun run = new JobRun(UUID.randomUUID(), job, workspace, JobRun.Trigger.MANUAL, JobRun.Status.RUNNING, 1,
				null, request.parameters(), request.from(), request.to(), null, now, now, now, null, null, null, null,
				null, null, null, null, null);
		return new JobContext(run, now, (fraction, step) -> {
		});
	}

	public UUID runId() {
		return this.run.runId();
	}

	public String workspace() {
		return this.run.workspace();
	}

	public JobRun.Trigger trigger() {
		return this.run.trigger();
	}

	public int attempt() {
		return this.run.attempt();
	}

	public Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * @return first day of the backfill range (inclusive)
	 */
	public Optional<LocalDate> from() {
		return Optional.ofNullable(this.run.from());
	}

	/**
	 * @return last day of the backfill range (inclusive)
	 */
	public Optional<LocalDate> to() {
		return Optional.ofNullable(this.run.to());
	}

	public Map<String, Object> parameters() {
		return this.run.parameters();
	}

	public int intParameter(String name, int fallback) {
		Object value = this.run.parameters().get(name);
		return (value != null) ? ((Number) value).intValue() : fallback;
	}

	public double doubleParameter(String name, double fallback) {
		Object value = this.run.parameters().get(name);
		return (value != null) ? ((Number) value).doubleValue() : fallback;
	}

	public boolean booleanParameter(String name, boolean fallback) {
		Object value = this.run.parameters().get(name);
		return (value != null) ? (Boolean) value : fallback;
	}

	public Optional<String> stringParameter(String name) {
		return Optional.ofNullable((String) this.run.parameters().get(name));
	}

	/**
	 * Reports how far the job is; shown on the running run.
	 * @param fraction 0 to 1
	 * @param step what it is doing now
	 */
	public void progress(double fraction, String step) {
		this.sink.progress(Math.max(0, Math.min(1, fraction)), step);
	}

}
