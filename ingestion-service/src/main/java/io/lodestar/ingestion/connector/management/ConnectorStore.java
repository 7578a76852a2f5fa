package io.lodestar.ingestion.connector.management;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.lodestar.ingestion.connector.ProcessedFile;

/**
 * The connector tables over JDBC. Every read of the API is scoped to a workspace.
 */
@Repository
class ConnectorStore {

	private static final String CONNECTOR_COLUMNS = "id, workspace_id, kind, name, credentials, settings::text as settings, "
			+ "schedule, status, paused_reason, paused_until, watermark, next_run_at, created_at, updated_at";

	private static final String RUN_COLUMNS = "id, connector_id, workspace_id, trigger, status, requested_at, started_at, "
			+ "finished_at, rows_published, rows_rejected, pages, retries, watermark_before, watermark_after, error, next_run_at";

	private final JdbcClient jdbc;

	ConnectorStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(ConnectorRow row) {
		this.jdbc.sql("""
				insert into connector (id, workspace_id, kind, name, credentials, settings, schedule, status,
				  paused_reason, paused_until, watermark, next_run_at, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(row.id(), row.workspaceId(), row.kind(), row.name(), row.credentials(), row.settingsJson(),
					row.schedule(), row.status(), row.pausedReason(), ts(row.pausedUntil()), row.watermark(),
					ts(row.nextRunAt()), ts(row.createdAt()), ts(row.updatedAt()))
			.update();
	}

	/**
	 * Name, credentials, settings and schedule; status and watermark are the runner's.
	 */
	boolean update(ConnectorRow row) {
		return this.jdbc.sql("""
				update connector set name = ?, credentials = ?, settings = ?::json, schedule = ?, next_run_at = ?,
				  updated_at = ? where id = ? and workspace_id = ?""")
			.params(row.name(), row.credentials(), row.settingsJson(), row.schedule(), ts(row.nextRunAt()),
					ts(row.updatedAt()), row.id(), row.workspaceId())
			.update() == 1;
	}

	boolean setStatus(String workspaceId, UUID id, String status, String reason, Instant pausedUntil, Instant nextRunAt,
			Instant now) {
		return this.jdbc.sql("""
				update connector set status = ?, paused_reason = ?, paused_until = ?, next_run_at = ?, updated_at = ?
				where id = ? and workspace_id = ?""")
			.params(status, reason, ts(pausedUntil), ts(nextRunAt), ts(now), id, workspaceId)
			.update() == 1;
	}

	boolean delete(String workspaceId, UUID id) {
		return this.jdbc.sql("delete from connector where id = ? and workspace_id = ?")
			.params(id, workspaceId)
			.update() == 1;
	}

	Optional<ConnectorRow> find(String workspaceId, UUID id) {
		return this.jdbc.sql("select " + CONNECTOR_COLUMNS + " from connector where id = ? and workspace_id = ?")
			.params(id, workspaceId)
			.query(ConnectorStore::connector)
			.optional();
	}

	Optional<ConnectorRow> find(UUID id) {
		return this.jdbc.sql("select " + CONNECTOR_COLUMNS + " from connector where id = ?")
			.params(id)
			.query(ConnectorStore::connector)
			.optional();
	}

	boolean nameTaken(String workspaceId, String name, UUID except) {
		return this.jdbc.sql("select count(*) from connector where workspace_id = ? and name = ? and id <> ?")
			.params(workspaceId, name, except)
			.query(Long.class)
			.single() > 0;
	}

	List<ConnectorRow> list(String workspaceId, int limit, int offset) {
		return this.jdbc
			.sql("select " + CONNECTOR_COLUMNS
					+ " from connector where workspace_id = ? order by created_at, id limit ? offset ?")
			.params(workspaceId, limit, offset)
			.query(ConnectorStore::connector)
			.list();
	}

	long count(String workspaceId) {
		return this.jdbc.sql("select count(*) from connector where workspace_id = ?")
			.params(workspaceId)
			.query(Long.class)
			.single();
	}

	/** Ends the daily-quota pauses that are over. */
	int resumeExpiredPauses(Instant now) {
		return this.jdbc.sql("""
				update connector set status = 'active', paused_reason = null, paused_until = null, updated_at = ?
				where status = 'paused' and paused_until is not null and paused_until <= ?""")
			.params(ts(now), ts(now))
			.update();
	}

	/** Active connectors whose schedule is due or that have a queued run. */
	List<UUID> due(Instant now, int limit) {
		return this.jdbc
			.sql("""
					select c.id from connector c
					where c.status = 'active'
					  and (c.next_run_at <= ? or exists (select 1 from connector_run r where r.connector_id = c.id and r.status = 'queued'))
					order by c.next_run_at nulls first limit ?""")
			.params(ts(now), limit)
			.query(UUID.class)
			.list();
	}

	Optional<RunRow> queuedRun(UUID connectorId) {
		return this.jdbc
			.sql("select " + RUN_COLUMNS + " from connector_run where connector_id = ? and status = 'queued'")
			.params(connectorId)
			.query(ConnectorStore::run)
			.optional();
	}

	/** Queues a manual run unless one is queued already; returns the queued run. */
	RunRow queue(ConnectorRow connector, Instant now) {
		// the scheduler may start a queued run at any moment: retry until one is ours or
		// queued
		for (int attempt = 0;; attempt++) {
			UUID id = UUID.randomUUID();
			int inserted = this.jdbc.sql("""
					insert into connector_run (id, connector_id, workspace_id, trigger, status, requested_at)
					values (?, ?, ?, 'manual', 'queued', ?) on conflict do nothing""")
				.params(id, connector.id(), connector.workspaceId(), ts(now))
				.update();
			if (inserted == 1) {
				return new RunRow(id, connector.id(), connector.workspaceId(), "manual", RunRow.QUEUED, now, null, null,
						0, 0, 0, 0, null, null, null, null);
			}
			Optional<RunRow> queued = queuedRun(connector.id());
			if (queued.isPresent() || attempt >= 5) {
				return queued.orElseThrow(() -> new IllegalStateException("could not queue a run"));
			}
		}
	}

	void insertRun(RunRow run) {
		this.jdbc.sql("""
				insert into connector_run (id, connector_id, workspace_id, trigger, status, requested_at, started_at,
				  watermark_before) values (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(run.id(), run.connectorId(), run.workspaceId(), run.trigger(), run.status(), ts(run.requestedAt()),
					ts(run.startedAt()), run.watermarkBefore())
			.update();
	}

	void startRun(UUID runId, Instant startedAt, String watermarkBefore) {
		this.jdbc.sql("update connector_run set status = 'running', started_at = ?, watermark_before = ? where id = ?")
			.params(ts(startedAt), watermarkBefore, runId)
			.update();
	}

	/**
	 * Ends a run; with a watermark, stores it on the connector in the same statement
	 * batch.
	 */
	void finishRun(RunRow run) {
		this.jdbc.sql("""
				update connector_run set status = ?, finished_at = ?, rows_published = ?, rows_rejected = ?, pages = ?,
				  retries = ?, watermark_after = ?, error = ?, next_run_at = ? where id = ?""")
			.params(run.status(), ts(run.finishedAt()), run.rows(), run.rejected(), run.pages(), run.retries(),
					run.watermarkAfter(), run.error(), ts(run.nextRunAt()), run.id())
			.update();
	}

	void storeWatermark(UUID connectorId, String watermark, Instant nextRunAt, Instant now) {
		this.jdbc.sql("update connector set watermark = ?, next_run_at = ?, updated_at = ? where id = ?")
			.params(watermark, ts(nextRunAt), ts(now), connectorId)
			.update();
	}

	void scheduleNext(UUID connectorId, Instant nextRunAt) {
		this.jdbc.sql("update connector set next_run_at = ? where id = ?").params(ts(nextRunAt), connectorId).update();
	}

	void pauseForQuota(UUID connectorId, String reason, Instant until, Instant now) {
		this.jdbc
			.sql("""
					update connector set status = 'paused', paused_reason = ?, paused_until = ?, next_run_at = ?, updated_at = ?
					where id = ?""")
			.params(reason, ts(until), ts(until), ts(now), connectorId)
			.update();
	}

	void insertProcessed(UUID connectorId, UUID runId, ProcessedFile file, Instant now) {
		this.jdbc.sql("""
				insert into processed_file (connector_id, object_key, etag, size_bytes, rows_published, rows_rejected,
				  error, run_id, processed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
				on conflict (connector_id, object_key, etag) do nothing""")
			.params(connectorId, file.key(), file.etag(), file.size(), file.rows(), file.rejected(), file.error(),
					runId, ts(now))
			.update();
	}

	boolean isProcessed(UUID connectorId, String key, String etag) {
		return this.jdbc
			.sql("select count(*) from processed_file where connector_id = ? and object_key = ? and etag = ?")
			.params(connectorId, key, etag)
			.query(Long.class)
			.single() > 0;
	}

	List<RunRow> runs(String workspaceId, UUID connectorId, int limit, int offset) {
		return this.jdbc
			.sql("select " + RUN_COLUMNS + " from connector_run where workspace_id = ? and connector_id = ? "
					+ "order by requested_at desc, id limit ? offset ?")
			.params(workspaceId, connectorId, limit, offset)
			.query(ConnectorStore::run)
			.list();
	}

	long countRuns(String workspaceId, UUID connectorId) {
		return this.jdbc.sql("select count(*) from connector_run where workspace_id = ? and connector_id = ?")
			.params(workspaceId, connectorId)
			.query(Long.class)
			.single();
	}

	Optional<RunRow> lastRun(UUID connectorId) {
		return this.jdbc.sql("select " + RUN_COLUMNS
				+ " from connector_run where connector_id = ? and status <> 'queued' order by requested_at desc limit 1")
			.params(connectorId)
			.query(ConnectorStore::run)
			.optional();
	}

	/**
	 * Runs left 'running' by an instance that died: failed, so history tells the truth.
	 */
	int failAbandonedRuns(UUID connectorId, Instant now) {
		return this.jdbc
			.sql("""
					update connector_run set status = 'failed', finished_at = ?,
					  error = 'the instance running it stopped before it finished' where connector_id = ? and status = 'running'""")
			.params(ts(now), connectorId)
			.update();
	}

	private static ConnectorRow connector(ResultSet rs, int row) throws SQLException {
		return new ConnectorRow(rs.getObject("id", UUID.class), rs.getString("workspace_id"), rs.getString("kind"),
				rs.getString("name"), rs.getBytes("credentials"), rs.getString("settings"), rs.getString("schedule"),
				rs.getString("status"), rs.getString("paused_reason"), instant(rs, "paused_until"),
				rs.getString("watermark"), instant(rs, "next_run_at"), instant(rs, "created_at"),
				instant(rs, "updated_at"));
	}

	private static RunRow run(ResultSet rs, int row) throws SQLException {
		return new RunRow(rs.getObject("id", UUID.class), rs.getObject("connector_id", UUID.class),
				rs.getString("workspace_id"), rs.getString("trigger"), rs.getString("status"),
				instant(rs, "requested_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
				rs.getLong("rows_published"), rs.getLong("rows_rejected"), rs.getInt("pages"), rs.getInt("retries"),
				rs.getString("watermark_before"), rs.getString("watermark_after"), rs.getString("error"),
				instant(rs, "next_run_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

	private static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
