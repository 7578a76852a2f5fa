package io.lodestar.etl.jobs;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;

import io.lodestar.web.BadRequestException;

/**
 * Runs the batch jobs: queues a run (manual, scheduled or retry) as a row of
 * {@code etl.job_run}, executes it on a worker under a PostgreSQL advisory lock on (job,
 * workspace), and records its outcome. One queued or running run per job and workspace (a
 * partial unique index refuses a second; the lock keeps two instances from ever running
 * the same pair). Every tick an instance sends its runs' heartbeat, takes over queued
 * runs of instances that went silent, fails their running runs as abandoned once their
 * lock is free, starts due retries, and claims due cron slots (compare and set on
 * {@code etl.job_schedule}) for every workspace that has profiles.
 */
@Service
public class JobScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(JobScheduler.class);

	private static final int MAX_ERROR = 2000;

	private final Map<String, BatchJob> jobs = new TreeMap<>();

	private final JobRunRepository runs;

	private final DataSource dataSource;

	private final SchedulerProperties properties;

	private final Clock clock = Clock.systemUTC();

	private final String instanceId;

	private final ThreadPoolExecutor workers;

	private final Set<UUID> submitted = ConcurrentHashMap.newKeySet();

	private final Map<UUID, CompletableFuture<JobRun>> waiters = new ConcurrentHashMap<>();

	private ScheduledExecutorService ticker;

	private volatile boolean running;

	JobScheduler(List<BatchJob> jobs, JobRunRepository runs, DataSource dataSource, SchedulerProperties properties) {
		for (BatchJob job : jobs) {
			if (!job.name().matches("[a-z0-9][a-z0-9-]{0,63}") || "runs".equals(job.name())) {
				throw new IllegalStateException("job name '" + job.name() + "' is not a lower-case path segment");
			}
			if (this.jobs.put(job.name(), job) != null) {
				throw new IllegalStateException("two jobs are named " + job.name());
			}
		}
		for (String configured : properties.jobs().keySet()) {
			if (!this.jobs.containsKey(configured)) {
				throw new IllegalStateException("lodestar.etl.scheduler.jobs." + configured
						+ ": there is no such job; the jobs are " + String.join(", ", this.jobs.keySet()));
			}
			String cron = properties.cron(configured);
			if (cron != null && !CronExpression.isValidExpression(cron)) {
				throw new IllegalStateException("lodestar.etl.scheduler.jobs." + configured + ".cron '" + cron
						+ "' is not a cron expression (six fields, seconds first, e.g. '0 0 2 * * *'; '-' for none)");
			}
		}
		this.runs = runs;
		this.dataSource = dataSource;
		this.properties = properties;
		this.instanceId = instanceName();
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "job-worker-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		String name = host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
		return (name.length() > 128) ? name.substring(name.length() - 128) : name;
	}

	/**
	 * @return every job, by name
	 */
	public Collection<BatchJob> jobs() {
		return this.jobs.values();
	}

	/**
	 * @param name a job's name
	 * @return the job
	 * @throws UnknownJobException (404) when there is none
	 */
	public BatchJob job(String name) {
		BatchJob job = this.jobs.get(name);
		if (job == null) {
			throw new UnknownJobException(name, this.jobs.keySet());
		}
		return job;
	}

	/**
	 * A manual run, queued now and started as soon as a worker is free.
	 * @param jobName the job
	 * @param workspace the workspace
	 * @param request its date range and parameters
	 * @return the queued run and its completion on this instance
	 * @throws UnknownJobException (404) for an unknown job
	 * @throws BadRequestException (400) for a parameter or range the job does not take
	 * @throws JobAlreadyActiveException (409) when the job is queued or running for the
	 * workspace
	 */
	public Triggered trigger(String jobName, String workspace, JobRequest request) {
		BatchJob job = job(jobName);
		JobRequest checked = check(job, request);
		Instant now = now();
		JobRun run = newRun(job.name(), workspace, JobRun.Trigger.MANUAL, 1, null, checked, null, now, now);
		CompletableFuture<JobRun> done = new CompletableFuture<>();
		this.waiters.put(run.runId(), done);
		Optional<JobRun> queued = this.runs.insertQueued(run, this.instanceId);
		if (queued.isEmpty()) {
			this.waiters.remove(run.runId());
			throw new JobAlreadyActiveException(job.name(), this.runs.active(job.name(), workspace).orElse(null));
		}
		logger.info("Job {} run {} for workspace {} queued (manual)", job.name(), run.runId(), workspace);
		submit(queued.get());
		return new Triggered(queued.get(), done);
	}

	/**
	 * A queued run and its completion.
	 *
	 * @param run the run as queued
	 * @param done completes with the finished run (on the instance that queued it)
	 */
	public record Triggered(JobRun run, CompletableFuture<JobRun> done) {
	}

	/**
	 * @return the run, if it is the workspace's
	 */
	public Optional<JobRun> find(String workspace, UUID runId) {
		return this.runs.find(runId).filter((run) -> run.workspace().equals(workspace));
	}

	Optional<JobRun> latest(String job, String workspace) {
		return this.runs.latest(job, workspace);
	}

	List<JobRun> history(String job, String workspace, Instant afterQueuedAt, UUID afterRunId, int limit) {
		return this.runs.page(job, workspace, afterQueuedAt, afterRunId, limit);
	}

	/**
	 * @return when the job's schedule starts its next runs, or null without one
	 */
	Instant nextRun(String job) {
		String cron = this.properties.cron(job);
		if (cron == null || !this.properties.schedulesEnabled()) {
			return null;
		}
		return this.runs.schedule(job)
			.filter((schedule) -> schedule.cron().equals(cron) && schedule.zone().equals(this.properties.zone()))
			.map(JobRunRepository.Schedule::nextFireAt)
			.orElseGet(() -> next(cron, now()));
	}

	String cron(String job) {
		return this.properties.cron(job);
	}

	String zone() {
		return this.properties.zone();
	}

	boolean schedulesEnabled() {
		return this.properties.schedulesEnabled();
	}

	/**
	 * Checks the request against the job: known parameters of the right type (numeric
	 * strings are accepted for numbers), a range only where the job takes one, from ≤ to.
	 */
	static JobRequest check(BatchJob job, JobRequest request) {
		if ((request.from() != null || request.to() != null) && !job.supportsDateRange()) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter",
					"job '" + job.name() + "' does not take a date range");
		}
		if (request.from() != null && request.to() != null && request.from().isAfter(request.to())) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "'from' is after 'to'");
		}
		Map<String, JobParameter> accepted = new LinkedHashMap<>();
		job.parameters().forEach((parameter) -> accepted.put(parameter.name(), parameter));
		Map<String, Object> typed = new LinkedHashMap<>();
		for (Map.Entry<String, Object> entry : request.parameters().entrySet()) {
			JobParameter parameter = accepted.get(entry.getKey());
			if (parameter == null) {
				throw new BadRequestException("invalid-parameter", "Invalid parameter", "job '" + job.name()
						+ "' has no parameter '" + entry.getKey() + "'"
						+ (accepted.isEmpty() ? "" : "; its parameters are " + String.join(", ", accepted.keySet())));
			}
			typed.put(entry.getKey(), typed(parameter, entry.getValue()));
		}
		JobRequest checked = new JobRequest(request.from(), request.to(), typed);
		try {
			job.validate(checked);
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", ex.getMessage());
		}
		return checked;
	}

	private static Object typed(JobParameter parameter, Object value) {
		String invalid = "parameter '" + parameter.name() + "' must be " + switch (parameter.type()) {
			case INTEGER -> "a whole number";
			case NUMBER -> "a number";
			case STRING -> "a string";
			case BOOLEAN -> "true or false";
		};
		if (value == null) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", invalid);
		}
		try {
			switch (parameter.type()) {
				case INTEGER -> {
					java.math.BigDecimal number = new java.math.BigDecimal(value.toString().trim());
					return number.intValueExact();
				}
				case NUMBER -> {
					if (value instanceof Boolean) {
						throw new NumberFormatException();
					}
					double number = Double.parseDouble(value.toString().trim());
					if (!Double.isFinite(number)) {
						throw new NumberFormatException();
					}
					return number;
				}
				case BOOLEAN -> {
					if (value instanceof Boolean) {
						return value;
					}
					if ("true".equals(value) || "false".equals(value)) {
						return Boolean.valueOf((String) value);
					}
					throw new NumberFormatException();
				}
				default -> {
					if (!(value instanceof String)) {
						throw new NumberFormatException();
					}
					return value;
				}
			}
		}
		catch (NumberFormatException | ArithmeticException ex) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", invalid);
		}
	}

	private JobRun newRun(String job, String workspace, JobRun.Trigger trigger, int attempt, UUID retryOf,
			JobRequest request, Instant scheduledFor, Instant queuedAt, Instant notBefore) {
		return new JobRun(UUID.randomUUID(), job, workspace, trigger, JobRun.Status.QUEUED, attempt, retryOf,
				request.parameters(), request.from(), request.to(), scheduledFor, queuedAt, notBefore, null, null, null,
				null, null, null, null, null, null, null);
	}

	private void submit(JobRun run) {
		if (this.submitted.add(run.runId())) {
			try {
				this.workers.execute(() -> execute(run));
			}
			catch (RuntimeException ex) {
				this.submitted.remove(run.runId());
				throw ex;
			}
		}
	}

	private void execute(JobRun run) {
		JobRun finished = null;
		try {
			finished = runLocked(this.jobs.get(run.job()), run);
		}
		catch (Exception ex) {
			logger.error("Job {} run {} for workspace {}: could not be run", run.job(), run.runId(), run.workspace(),
					ex);
		}
		finally {
			this.submitted.remove(run.runId());
			CompletableFuture<JobRun> waiter = this.waiters.remove(run.runId());
			if (waiter != null) {
				JobRun outcome = (finished != null) ? finished : this.runs.find(run.runId()).orElse(null);
				if (outcome != null) {
					waiter.complete(outcome);
				}
				else {
					waiter.completeExceptionally(new IllegalStateException("run " + run.runId() + " is gone"));
				}
			}
		}
	}

	private JobRun runLocked(BatchJob job, JobRun run) throws SQLException {
		try (Connection lock = this.dataSource.getConnection()) {
			lock.setAutoCommit(false);
			try {
				if (!tryLock(lock, run.job(), run.workspace())) {
					logger.warn("Job {} run {} for workspace {}: another instance holds the job's lock", run.job(),
							run.runId(), run.workspace());
					return this.runs.fail(run.runId(), now(), null, "locked",
							"another instance is running job '" + run.job() + "' for this workspace", null,
							this.instanceId);
				}
				Instant started = now();
				if (!this.runs.markRunning(run.runId(), this.instanceId, started)) {
					return this.runs.find(run.runId()).orElse(null);
				}
				logger.info("Job {} run {} for workspace {} started ({}, attempt {})", run.job(), run.runId(),
						run.workspace(), run.trigger().value(), run.attempt());
				long t0 = System.nanoTime();
				JobContext context = new JobContext(run, started,
						(fraction, step) -> this.runs.progress(run.runId(), fraction, step, now()));
				try {
					JobResult result = job.run(context);
					long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
					JobRun done = this.runs.succeed(run.runId(), now(), millis, result);
					logger.info("Job {} run {} for workspace {} succeeded in {} ms: {} rows in, {} rows out", run.job(),
							run.runId(), run.workspace(), millis, result.rowsIn(), result.rowsOut());
					return done;
				}
				catch (Throwable ex) {
					long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
					JobRun failed = failed(run, millis, ex);
					if (ex instanceof VirtualMachineError error) {
						throw error;
					}
					return failed;
				}
			}
			finally {
				// ends the transaction, which releases the advisory lock
				lock.rollback();
			}
		}
	}

	private JobRun failed(JobRun run, long millis, Throwable ex) {
		boolean dataProblem = ex instanceof JobDataException;
		String message = dataProblem ? ex.getMessage() : describe(ex);
		JobRun retry = (!dataProblem) ? retryOf(run, now()) : null;
		if (dataProblem) {
			logger.warn("Job {} run {} for workspace {} failed: {}", run.job(), run.runId(), run.workspace(), message);
		}
		else {
			logger.error("Job {} run {} for workspace {} failed (attempt {}{})", run.job(), run.runId(),
					run.workspace(), run.attempt(),
					(retry != null) ? ", retry at " + retry.notBefore() : ", no retry left", ex);
		}
		return this.runs.fail(run.runId(), now(), millis, dataProblem ? "invalid-data" : "job-error", message, retry,
				this.instanceId);
	}

	private JobRun retryOf(JobRun failed, Instant now) {
		if (failed.attempt() >= this.properties.maxAttempts()) {
			return null;
		}
		JobRequest request = new JobRequest(failed.from(), failed.to(), failed.parameters());
		return newRun(failed.job(), failed.workspace(), JobRun.Trigger.RETRY, failed.attempt() + 1, failed.runId(),
				request, null, now, now.plus(this.properties.backoffAfter(failed.attempt())));
	}

	/** The exception's class and message, and its root cause's; never a stack trace. */
	static String describe(Throwable ex) {
		StringBuilder text = new StringBuilder(ex.getClass().getSimpleName());
		if (ex.getMessage() != null) {
			text.append(": ").append(ex.getMessage());
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (root != ex) {
			text.append(" (caused by ").append(root.getClass().getSimpleName());
			if (root.getMessage() != null) {
				text.append(": ").append(root.getMessage());
			}
			text.append(')');
		}
		return (text.length() > MAX_ERROR) ? text.substring(0, MAX_ERROR) : text.toString();
	}

	/** A transaction-scoped advisory lock on (job, workspace); released when it ends. */
	private static boolean tryLock(Connection connection, String job, String workspace) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("select pg_try_advisory_xact_lock(hashtext('job:' || ?), hashtext(?))")) {
			statement.setString(1, job);
			statement.setString(2, workspace);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	/**
	 * One round of the scheduler's housekeeping at {@code now}: heartbeats, stale runs,
	 * due cron slots, due retries.
	 * @param now the time
	 */
	void tick(Instant now) {
		try {
			this.runs.heartbeat(this.instanceId, now);
			reap(now);
			if (this.properties.schedulesEnabled()) {
				fireSchedules(now);
			}
			for (JobRun due : this.runs.due(this.instanceId, now)) {
				submit(due);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Scheduler tick failed; the next tick tries again", ex);
		}
	}

	private void reap(Instant now) {
		Instant threshold = now.minus(this.properties.staleAfter());
		for (JobRun stale : this.runs.stale(threshold)) {
			if (stale.status() == JobRun.Status.QUEUED) {
				if (this.runs.adopt(stale.runId(), this.instanceId, now, threshold)) {
					logger.warn("Job {} run {} for workspace {}: its instance went silent, taken over", stale.job(),
							stale.runId(), stale.workspace());
				}
				continue;
			}
			try (Connection lock = this.dataSource.getConnection()) {
				lock.setAutoCommit(false);
				try {
					// the lock is free only if nobody runs it: its instance is gone
					if (tryLock(lock, stale.job(), stale.workspace())) {
						JobRun retry = retryOf(stale, now);
						JobRun failed = this.runs.fail(stale.runId(), now, null, "abandoned",
								"abandoned: the instance running it stopped before it finished", retry,
								this.instanceId);
						logger.warn("Job {} run {} for workspace {} abandoned by its instance{}", failed.job(),
								failed.runId(), failed.workspace(),
								(retry != null) ? "; retry " + retry.runId() + " queued" : "");
					}
				}
				finally {
					lock.rollback();
				}
			}
			catch (SQLException ex) {
				logger.error("Could not check the lock of run {}", stale.runId(), ex);
			}
		}
	}

	private void fireSchedules(Instant now) {
		for (BatchJob job : this.jobs.values()) {
			String cron = this.properties.cron(job.name());
			if (cron == null) {
				continue;
			}
			Optional<JobRunRepository.Schedule> schedule = this.runs.schedule(job.name());
			if (schedule.isEmpty() || !schedule.get().cron().equals(cron)
					|| !schedule.get().zone().equals(this.properties.zone())) {
				this.runs.resetSchedule(job.name(), cron, this.properties.zone(), next(cron, now));
				continue;
			}
			Instant due = schedule.get().nextFireAt();
			if (due.isAfter(now) || !this.runs.claimSlot(job.name(), due, next(cron, now))) {
				continue;
			}
			List<String> workspaces = this.runs.workspacesWithProfiles();
			logger.info("Job {}: cron slot {} for {} workspaces", job.name(), due, workspaces.size());
			for (String workspace : workspaces) {
				JobRun run = newRun(job.name(), workspace, JobRun.Trigger.SCHEDULE, 1, null, JobRequest.DEFAULT, due,
						now, now);
				this.runs.insertQueued(run, this.instanceId)
					.ifPresentOrElse(this::submit,
							() -> logger.info(
									"Job {} slot {} for workspace {} skipped: a run is already queued or running",
									job.name(), due, workspace));
			}
		}
	}

	private Instant next(String cron, Instant after) {
		ZonedDateTime next = CronExpression.parse(cron).next(after.atZone(this.properties.zoneId()));
		return (next != null) ? next.toInstant() : Instant.MAX;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	@Override
	public void start() {
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "job-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(100, this.properties.tick().toMillis());
		this.ticker.scheduleWithFixedDelay(() -> tick(now()), 0, period, TimeUnit.MILLISECONDS);
		this.running = true;
		logger.info("Job scheduler {} started: jobs {}, schedules {}", this.instanceId, this.jobs.keySet(),
				this.properties.schedulesEnabled() ? "on" : "off");
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.ticker != null) {
			this.ticker.shutdownNow();
		}
		// a run cut short here is taken over by another instance (or this one after a
		// restart) once its heartbeat is stale
		this.workers.shutdownNow();
		try {
			this.workers.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	String instanceId() {
		return this.instanceId;
	}

}
