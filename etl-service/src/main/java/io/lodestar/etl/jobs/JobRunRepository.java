package io.lodestar.etl.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code etl.job_run} and {@code etl.job_schedule}. Every state change is a guarded
 * update (from the state it expects), so two instances never both move a run.
 */
@Repository
class JobRunRepository {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final String COLUMNS = """
			run_id, job, workspace_id, trigger, status, attempt, retry_of, parameters::text as parameters, date_from,
			date_to, scheduled_for, queued_at, not_before, started_at, finished_at, duration_ms, rows_in, rows_out,
			progress, progress_step, error_type, error, result::text as result,
			(select r.run_id from etl.job_run r where r.retry_of = job_run.run_id limit 1) as retried_by""";

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final RowMapper<JobRun> mapper = this::map;

	JobRunRepository(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
	}

	/**
	 * Queues a run unless its job already has a queued or running run for the workspace
	 * (or, for a scheduled run, the slot was already started).
	 * @return the queued run, or empty when refused
	 */
	Optional<JobRun> insertQueued(JobRun run, String instanceId) {
		return this.jdbc.query("""
				insert into etl.job_run (run_id, job, workspace_id, trigger, status, attempt, retry_of, parameters,
				    date_from, date_to, scheduled_for, queued_at, not_before, instance_id, heartbeat_at)
				values (:run, :job, :workspace, :trigger, 'queued', :attempt, :retryOf, cast(:parameters as jsonb),
				    :from, :to, :scheduledFor, :queuedAt, :notBefore, :instance, :queuedAt)
				on conflict do nothing
				returning %s""".formatted(COLUMNS), queuedParameters(run, instanceId), this.mapper)
			.stream()
			.findFirst();
	}

	private MapSqlParameterSource queuedParameters(JobRun run, String instanceId) {
		return new MapSqlParameterSource("run", run.runId()).addValue("job", run.job())
			.addValue("workspace", run.workspace())
			.addValue("trigger", run.trigger().value())
			.addValue("attempt", run.attempt())
			.addValue("retryOf", run.retryOf())
			.addValue("parameters", this.json.writeValueAsString(run.parameters()))
			.addValue("from", run.from())
			.addValue("to", run.to())
			.addValue("scheduledFor", time(run.scheduledFor()))
			.addValue("queuedAt", time(run.queuedAt()))
			.addValue("notBefore", time(run.notBefore()))
			.addValue("instance", instanceId);
	}

	Optional<JobRun> find(UUID runId) {
		return this.jdbc
			.query("select %s from etl.job_run where run_id = :run".formatted(COLUMNS),
					new MapSqlParameterSource("run", runId), this.mapper)
			.stream()
			.findFirst();
	}

	Optional<JobRun> active(String job, String workspace) {
		return this.jdbc
			.query("""
					select %s from etl.job_run
					 where job = :job and workspace_id = :workspace and status in ('queued', 'running')""".formatted(
					COLUMNS), new MapSqlParameterSource("job", job).addValue("workspace", workspace), this.mapper)
			.stream()
			.findFirst();
	}

	Optional<JobRun> latest(String job, String workspace) {
		return page(job, workspace, null, null, 1).stream().findFirst();
	}

	/**
	 * The history, newest first, after the cursor (exclusive).
	 */
	List<JobRun> page(String job, String workspace, Instant afterQueuedAt, UUID afterRunId, int limit) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("job", job).addValue("workspace", workspace)
			.addValue("limit", limit);
		String keyset = "";
		if (afterQueuedAt != null) {
			keyset = " and (queued_at, run_id) < (:at, :id)";
			parameters.addValue("at", time(afterQueuedAt)).addValue("id", afterRunId);
		}
		return this.jdbc.query("""
				select %s from etl.job_run where workspace_id = :workspace and job = :job%s
				 order by queued_at desc, run_id desc limit :limit""".formatted(COLUMNS, keyset), parameters,
				this.mapper);
	}

	/**
	 * @return whether the queued run became running (false: it was taken over or failed
	 * meanwhile)
	 */
	boolean markRunning(UUID runId, String instanceId, Instant now) {
		return this.jdbc.update(
				"""
						update etl.job_run set status = 'running', started_at = :now, heartbeat_at = :now, instance_id = :instance,
						       progress = 0, progress_step = 'starting'
						 where run_id = :run and status = 'queued'""",
				new MapSqlParameterSource("run", runId).addValue("now", time(now))
					.addValue("instance", instanceId)) == 1;
	}

	void progress(UUID runId, double fraction, String step, Instant now) {
		this.jdbc.update("""
				update etl.job_run set progress = :fraction, progress_step = :step, heartbeat_at = :now
				 where run_id = :run and status = 'running'""",
				new MapSqlParameterSource("run", runId).addValue("fraction", fraction)
					.addValue("step", (step != null && step.length() > 200) ? step.substring(0, 200) : step)
					.addValue("now", time(now)));
	}

	JobRun succeed(UUID runId, Instant now, long durationMs, JobResult result) {
		this.jdbc.update("""
				update etl.job_run set status = 'succeeded', finished_at = :now, duration_ms = :duration,
				       rows_in = :rowsIn, rows_out = :rowsOut, progress = 1, progress_step = 'done',
				       result = cast(:result as jsonb), heartbeat_at = :now
				 where run_id = :run and status = 'running'""",
				new MapSqlParameterSource("run", runId).addValue("now", time(now))
					.addValue("duration", durationMs)
					.addValue("rowsIn", result.rowsIn())
					.addValue("rowsOut", result.rowsOut())
					.addValue("result",
							this.json.writeValueAsString((result.summary() != null) ? result.summary() : Map.of())));
		return find(runId).orElseThrow();
	}

	/**
	 * Fails a queued or running run and, in the same transaction, queues its retry (so no
	 * other run can slip in between).
	 * @param retry the next attempt, or null
	 * @return the failed run
	 */
	JobRun fail(UUID runId, Instant now, Long durationMs, String errorType, String error, JobRun retry,
			String instanceId) {
		return this.transactions.execute((status) -> {
			int failed = this.jdbc.update("""
					update etl.job_run set status = 'failed', finished_at = :now, duration_ms = :duration,
					       error_type = :type, error = :error, heartbeat_at = :now
					 where run_id = :run and status in ('queued', 'running')""",
					new MapSqlParameterSource("run", runId).addValue("now", time(now))
						.addValue("duration", durationMs)
						.addValue("type", errorType)
						.addValue("error", error));
			if (failed == 1 && retry != null) {
				insertQueued(retry, instanceId);
			}
			return find(runId).orElseThrow();
		});
	}

	/** Tells the others this instance's queued and running runs are alive. */
	void heartbeat(String instanceId, Instant now) {
		this.jdbc.update("""
				update etl.job_run set heartbeat_at = :now
				 where instance_id = :instance and status in ('queued', 'running')""",
				new MapSqlParameterSource("instance", instanceId).addValue("now", time(now)));
	}

	/**
	 * Queued and running runs whose instance has not been heard of since the threshold.
	 */
	List<JobRun> stale(Instant threshold) {
		return this.jdbc.query("""
				select %s from etl.job_run
				 where status in ('queued', 'running') and heartbeat_at < :threshold""".formatted(COLUMNS),
				new MapSqlParameterSource("threshold", time(threshold)), this.mapper);
	}

	/** Takes over a stale queued run. */
	boolean adopt(UUID runId, String instanceId, Instant now, Instant threshold) {
		return this.jdbc.update("""
				update etl.job_run set instance_id = :instance, heartbeat_at = :now
				 where run_id = :run and status = 'queued' and heartbeat_at < :threshold""",
				new MapSqlParameterSource("run", runId).addValue("instance", instanceId)
					.addValue("now", time(now))
					.addValue("threshold", time(threshold))) == 1;
	}

	/** This instance's queued runs that may start now. */
	List<JobRun> due(String instanceId, Instant now) {
		return this.jdbc.query("""
				select %s from etl.job_run
				 where instance_id = :instance and status = 'queued' and not_before <= :now
				 order by not_before""".formatted(COLUMNS),
				new MapSqlParameterSource("instance", instanceId).addValue("now", time(now)), this.mapper);
	}

	/**
	 * The workspaces that have profiles (profile-service's table), by a loose index scan
	 * of its primary key.
	 */
	List<String> workspacesWithProfiles() {
		return this.jdbc.queryForList("""
				with recursive w (workspace_id) as (
				  (select workspace_id from profile.profile order by workspace_id limit 1)
				  union all
				  select (select p.workspace_id from profile.profile p where p.workspace_id > w.workspace_id
				           order by p.workspace_id limit 1)
				    from w where w.workspace_id is not null)
				select workspace_id from w where workspace_id is not null""", Map.of(), String.class);
	}

	record Schedule(String job, String cron, String zone, Instant nextFireAt) {
	}

	Optional<Schedule> schedule(String job) {
		return this.jdbc
			.query("select job, cron, zone, next_fire_at from etl.job_schedule where job = :job",
					new MapSqlParameterSource("job", job),
					(row, n) -> new Schedule(row.getString(1), row.getString(2), row.getString(3), instant(row, 4)))
			.stream()
			.findFirst();
	}

	/**
	 * Sets a job's schedule (a new or changed cron expression starts from its next slot).
	 */
	void resetSchedule(String job, String cron, String zone, Instant next) {
		this.jdbc
			.update("""
					insert into etl.job_schedule (job, cron, zone, next_fire_at) values (:job, :cron, :zone, :next)
					on conflict (job) do update set cron = excluded.cron, zone = excluded.zone, next_fire_at = excluded.next_fire_at""",
					new MapSqlParameterSource("job", job).addValue("cron", cron)
						.addValue("zone", zone)
						.addValue("next", time(next)));
	}

	/**
	 * Moves a job's schedule from the slot it is due at to the next: exactly one instance
	 * succeeds and starts the slot's runs.
	 */
	boolean claimSlot(String job, Instant due, Instant next) {
		return this.jdbc.update("""
				update etl.job_schedule set next_fire_at = :next where job = :job and next_fire_at = :due""",
				new MapSqlParameterSource("job", job).addValue("due", time(due)).addValue("next", time(next))) == 1;
	}

	private JobRun map(ResultSet row, int n) throws SQLException {
		String parameters = row.getString("parameters");
		String result = row.getString("result");
		double progress = row.getDouble("progress");
		JobRun.Progress state = row.wasNull() ? null : new JobRun.Progress(progress, row.getString("progress_step"));
		return new JobRun(row.getObject("run_id", UUID.class), row.getString("job"), row.getString("workspace_id"),
				JobRun.Trigger.of(row.getString("trigger")), JobRun.Status.of(row.getString("status")),
				row.getInt("attempt"), row.getObject("retry_of", UUID.class),
				(parameters != null) ? this.json.readValue(parameters, MAP) : Map.of(),
				row.getObject("date_from", LocalDate.class), row.getObject("date_to", LocalDate.class),
				instant(row, "scheduled_for"), instant(row, "queued_at"), instant(row, "not_before"),
				instant(row, "started_at"), instant(row, "finished_at"), longOrNull(row, "duration_ms"),
				longOrNull(row, "rows_in"), longOrNull(row, "rows_out"), state, row.getString("error_type"),
				row.getString("error"), row.getObject("retried_by", UUID.class),
				(result != null) ? this.json.readValue(result, MAP) : null);
	}

	private static Long longOrNull(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	private static Instant instant(ResultSet row, int column) throws SQLException {
		OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	static OffsetDateTime time(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
