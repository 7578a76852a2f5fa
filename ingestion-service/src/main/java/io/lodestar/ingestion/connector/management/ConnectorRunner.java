package io.lodestar.ingestion.connector.management;

import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.ProcessedFile;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.QuotaExhaustedException;
import io.lodestar.ingestion.connector.ratelimit.Retrier;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * Runs one connector once, under a transaction-scoped PostgreSQL advisory lock so that no
 * two instances run the same connector at a time. The run row is visible while it runs;
 * its end, the new watermark and the processed files are written in the lock's
 * transaction, after Kafka acknowledged every row (ADR 0016).
 */
@Component
class ConnectorRunner {

	private static final Logger log = LoggerFactory.getLogger(ConnectorRunner.class);

	private final DataSource dataSource;

	private final ConnectorStore store;

	private final ConnectorKinds kinds;

	private final SealedCredentials credentials;

	private final Producer<String, byte[]> kafka;

	private final JsonMapper json;

	private final Clock clock;

	private final Sleeper sleeper;

	private final HttpClient http;

	private final ConnectorProperties properties;

	ConnectorRunner(DataSource dataSource, ConnectorStore store, ConnectorKinds kinds, SealedCredentials credentials,
			ConnectorProducer kafka, JsonMapper json, Clock clock, Sleeper sleeper, HttpClient http,
			ConnectorProperties properties) {
		this.dataSource = dataSource;
		this.store = store;
		this.kinds = kinds;
		this.credentials = credentials;
		this.kafka = kafka.producer();
		this.json = json;
		this.clock = clock;
		this.sleeper = sleeper;
		this.http = http;
		this.properties = properties;
	}

	/**
	 * Runs the connector if it is active and due (its schedule or a queued run) and no
	 * other instance is running it.
	 * @param connectorId the connector
	 * @return the finished run, empty if it did not run
	 */
	Optional<RunRow> runIfDue(UUID connectorId) {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				Optional<RunRow> run = runLocked(connection, connectorId);
				connection.commit();
				return run;
			}
			catch (RuntimeException | Error ex) {
				connection.rollback();
				throw ex;
			}
		}
		catch (SQLException ex) {
			log.warn("Connector {} could not run: the database is unavailable ({})", connectorId, ex.getMessage());
			return Optional.empty();
		}
	}

	private Optional<RunRow> runLocked(Connection connection, UUID connectorId) throws SQLException {
		if (!tryLock(connection, connectorId)) {
			log.debug("Connector {} is running on another instance", connectorId);
			return Optional.empty();
		}
		Optional<ConnectorRow> found = this.store.find(connectorId);
		if (found.isEmpty() || !ConnectorRow.ACTIVE.equals(found.get().status())) {
			return Optional.empty();
		}
		ConnectorRow connector = found.get();
		Instant now = this.clock.instant();
		Optional<RunRow> queued = this.store.queuedRun(connectorId);
		boolean due = connector.nextRunAt() != null && !connector.nextRunAt().isAfter(now);
		if (queued.isEmpty() && !due) {
			return Optional.empty();
		}
		// holding the lock, any run still marked running was left by an instance that
		// died
		this.store.failAbandonedRuns(connectorId, now);
		RunRow started;
		if (queued.isPresent()) {
			this.store.startRun(queued.get().id(), now, connector.watermark());
			started = queued.get();
		}
		else {
			started = new RunRow(UUID.randomUUID(), connectorId, connector.workspaceId(), "schedule", RunRow.RUNNING,
					now, now, null, 0, 0, 0, 0, connector.watermark(), null, null, null);
			this.store.insertRun(started);
		}
		ConnectorStore locked = new ConnectorStore(JdbcClient.create(new SingleConnectionDataSource(connection, true)));
		RunRow finished = execute(connector, started, now, locked);
		return Optional.of(finished);
	}

	private RunRow execute(ConnectorRow connector, RunRow run, Instant startedAt, ConnectorStore locked) {
		KafkaRecordSink sink = new KafkaRecordSink(this.kafka, this.json);
		Retrier retrier = new Retrier(this.properties.retry().maxAttempts(), this.properties.retry().base(),
				this.properties.retry().max(), this.sleeper, ThreadLocalRandom.current());
		Credentials secrets = Credentials.of();
		String status;
		String error = null;
		String watermark = null;
		Instant pausedUntil = null;
		try {
			SourceConnector kind = this.kinds.find(connector.kind())
				.orElseThrow(() -> new IllegalStateException("this service has no connector kind " + connector.kind()));
			secrets = this.credentials.open(connector.id(), connector.credentials());
			ConnectorSettings settings = new ConnectorSettings(
					(ObjectNode) this.json.readTree(connector.settingsJson()));
			ConnectorContext context = new ConnectorContext(connector.workspaceId(), connector.id().toString(),
					settings, secrets, Optional.ofNullable(connector.watermark()), this.clock, this.http, this.json,
					retrier, (key, etag) -> this.store.isProcessed(connector.id(), key, etag));
			kind.pull(context, sink);
			sink.awaitAcknowledged(this.properties.sendTimeout());
			status = RunRow.SUCCEEDED;
			watermark = (sink.watermark() != null) ? sink.watermark() : connector.watermark();
		}
		catch (QuotaExhaustedException ex) {
			drain(sink);
			status = RunRow.PAUSED;
			pausedUntil = ex.resumeAt();
			error = secrets.scrub(ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			status = RunRow.FAILED;
			error = "the run was interrupted (the service is stopping)";
		}
		catch (Exception | LinkageError ex) {
			drain(sink);
			status = RunRow.FAILED;
			error = secrets.scrub(describe(ex));
		}
		Instant finishedAt = this.clock.instant();
		Instant nextRunAt = (pausedUntil != null) ? pausedUntil : Schedules.next(connector.schedule(), finishedAt);
		RunRow finished = new RunRow(run.id(), run.connectorId(), run.workspaceId(), run.trigger(), status,
				run.requestedAt(), startedAt, finishedAt, sink.rows(), sink.rejected(), sink.pages(), retrier.retries(),
				connector.watermark(), watermark, truncate(error), nextRunAt);
		locked.finishRun(finished);
		if (RunRow.SUCCEEDED.equals(status)) {
			locked.storeWatermark(connector.id(), watermark, nextRunAt, finishedAt);
			for (ProcessedFile file : sink.processedFiles()) {
				locked.insertProcessed(connector.id(), run.id(), file, finishedAt);
			}
			log.info(
					"Connector run {} of connector {} (workspace {}, {}) succeeded: {} rows, {} rejected, {} pages, "
							+ "{} retries",
					run.id(), connector.id(), connector.workspaceId(), connector.kind(), sink.rows(), sink.rejected(),
					sink.pages(), retrier.retries());
		}
		else if (RunRow.PAUSED.equals(status)) {
			locked.pauseForQuota(connector.id(), truncate(error), pausedUntil, finishedAt);
			log.warn("Connector run {} of connector {} (workspace {}, {}) stopped on a daily quota; paused until {}",
					run.id(), connector.id(), connector.workspaceId(), connector.kind(), pausedUntil);
		}
		else {
			locked.scheduleNext(connector.id(), nextRunAt);
			log.warn("Connector run {} of connector {} (workspace {}, {}) failed: {}", run.id(), connector.id(),
					connector.workspaceId(), connector.kind(), finished.error());
		}
		return finished;
	}

	/**
	 * Waits for what was sent, so a failed run leaves nothing in flight; failures are
	 * moot.
	 */
	private void drain(KafkaRecordSink sink) {
		try {
			sink.awaitAcknowledged(this.properties.sendTimeout());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// the run fails anyway
		}
	}

	/**
	 * What a failure means to someone reading the run history.
	 * @param ex the failure
	 * @return a message without stack traces
	 */
	static String describe(Throwable ex) {
		if (ex instanceof SourceAuthenticationException) {
			return "Authentication failed: " + ex.getMessage();
		}
		if (ex instanceof MalformedPageException) {
			return "Malformed response: " + ex.getMessage();
		}
		if (ex instanceof ThrottledException throttled) {
			return "Still rate-limited after every retry: " + throttled.throttle().reason();
		}
		if (ex instanceof KafkaRecordSink.KafkaUnavailableException) {
			return ex.getMessage();
		}
		if (ex instanceof IOException) {
			return "The source could not be reached: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? " " + ex.getMessage() : "");
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	private static String truncate(String text) {
		return (text == null || text.length() <= 2000) ? text : text.substring(0, 1997) + "...";
	}

	private static boolean tryLock(Connection connection, UUID connectorId) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("select pg_try_advisory_xact_lock(hashtext('connector:' || ?))")) {
			statement.setString(1, connectorId.toString());
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

}
