package io.lodestar.etl.streaming;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.lodestar.etl.lake.LakeTable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

/**
 * The lake rows of a micro-batch: its clean events — those PostgreSQL applied, i.e. with
 * a timeline row — with the profile each was applied to (after merges). Rejected and
 * quarantined events have no timeline row and stay out of the lake.
 *
 * <p>
 * Exactly once without reading the lake (ADR 0031): the ledger's chunks record the
 * micro-batch that applied them, so a batch appends exactly the events it applied first —
 * a redelivered event, applied by an earlier batch, is already in the lake — and a batch
 * replayed after a crash finds its own rows again; the append is skipped when the lake
 * already holds the batch's commit ({@link LakeTable#appendBatch}). Events applied before
 * chunks carried a batch go through {@link LakeTable#mergeNew}.
 */
final class LakeRows implements Serializable {

	private static final int LOOKUP_CHUNK = 500;

	/** Spark's local property naming the streaming query a batch belongs to. */
	private static final String QUERY_ID = "sql.streaming.queryId";

	/** Marks the rows applied before chunks recorded their batch. */
	private static final String UNKEYED = "unkeyed";

	private static final StructType SCHEMA = LakeTable.SCHEMA.add(UNKEYED, DataTypes.BooleanType, false);

	private static final com.fasterxml.jackson.databind.ObjectMapper ALIAS = new com.fasterxml.jackson.databind.ObjectMapper();

	private final JdbcTarget target;

	LakeRows(JdbcTarget target) {
		this.target = target;
	}

	/**
	 * The key of the micro-batch running on this thread.
	 * @param batchId the batch's id in its query
	 * @return {@code <query id>:<batch id>}, stable across restarts of the query
	 * @throws IllegalStateException outside a streaming query's batch
	 */
	static String batchKey(SparkSession session, long batchId) {
		String queryId = session.sparkContext().getLocalProperty(QUERY_ID);
		if (queryId == null) {
			throw new IllegalStateException("not in a streaming query's micro-batch");
		}
		return queryId + ':' + batchId;
	}

	/**
	 * Adds the micro-batch's clean events to the lake, once.
	 * @param lake the lake's events table
	 * @param parsed the batch's parsed rows ({@link EventParsing}), already applied to
	 * PostgreSQL by a {@link ProfileWriter#forBatch} of {@code batch}
	 * @param batch the batch's key
	 */
	void write(LakeTable lake, Dataset<Row> parsed, String batch) {
		JdbcTarget jdbc = this.target;
		Dataset<Row> rows = parsed
			.mapPartitions((MapPartitionsFunction<Row, Row>) (partition) -> lakeRows(jdbc, partition, batch),
					Encoders.row(SCHEMA))
			// a batch may hold an event twice (an SDK's retry)
			.dropDuplicates("workspace_id", "event_id")
			.persist();
		try {
			// one pass fills the cache and tells which writes there are
			boolean keyed = false;
			boolean unkeyed = false;
			for (Row kind : rows.select(col(UNKEYED)).distinct().collectAsList()) {
				keyed |= !kind.getBoolean(0);
				unkeyed |= kind.getBoolean(0);
			}
			if (keyed) {
				lake.appendBatch(rows.where(not(col(UNKEYED))).drop(UNKEYED), batch);
			}
			if (unkeyed) {
				lake.mergeNew(rows.where(col(UNKEYED)).drop(UNKEYED));
			}
		}
		finally {
			rows.unpersist();
		}
	}

	private static Iterator<Row> lakeRows(JdbcTarget jdbc, Iterator<Row> rows, String batch) throws SQLException {
		List<Row> out = new ArrayList<>();
		List<Candidate> chunk = new ArrayList<>(LOOKUP_CHUNK);
		try (Connection connection = jdbc.connect()) {
			while (rows.hasNext()) {
				Row row = rows.next();
				IncomingEvent event = IncomingEvent.from(row).event();
				if (event != null) {
					chunk.add(new Candidate(event, row));
				}
				if (chunk.size() == LOOKUP_CHUNK) {
					resolve(connection, chunk, batch, out);
					chunk.clear();
				}
			}
			if (!chunk.isEmpty()) {
				resolve(connection, chunk, batch, out);
			}
			connection.rollback();
		}
		return out.iterator();
	}

	private static void resolve(Connection connection, List<Candidate> chunk, String batch, List<Row> out)
			throws SQLException {
		Map<String, Applied> applied = new HashMap<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select e.workspace_id, e.event_id, e.profile_id, c.batch
				  from unnest(?::text[], ?::uuid[]) as k(workspace_id, event_id)
				  join profile.profile_event e on e.workspace_id = k.workspace_id and e.event_id = k.event_id
				  join etl.processed_event p on p.workspace_id = k.workspace_id and p.event_id = k.event_id
				  left join etl.applied_chunk c on c.chunk_id = p.chunk_id""")) {
			select.setArray(1, connection.createArrayOf("text",
					chunk.stream().map((candidate) -> candidate.event().workspaceId()).toArray()));
			select.setArray(2, connection.createArrayOf("uuid",
					chunk.stream().map((candidate) -> candidate.event().eventId()).toArray()));
			try (ResultSet result = select.executeQuery()) {
				while (result.next()) {
					applied.put(key(result.getString(1), result.getObject(2, UUID.class)),
							new Applied(result.getObject(3, UUID.class), result.getString(4)));
				}
			}
		}
		for (Candidate candidate : chunk) {
			Applied event = applied.get(key(candidate.event().workspaceId(), candidate.event().eventId()));
			if (event == null) {
				continue;
			}
			if (batch.equals(event.batch())) {
				out.add(withUnkeyed(toLakeRow(candidate.event(), candidate.row(), event.profileId()), false));
			}
			else if (event.batch() == null) {
				// applied before chunks recorded their batch: the lake may or may not
				// hold it
				out.add(withUnkeyed(toLakeRow(candidate.event(), candidate.row(), event.profileId()), true));
			}
			// else an earlier batch applied it, and that batch's lake commit preceded
			// this one
		}
	}

	private static Row withUnkeyed(Row row, boolean unkeyed) {
		Object[] values = new Object[row.length() + 1];
		for (int i = 0; i < row.length(); i++) {
			values[i] = row.get(i);
		}
		values[row.length()] = unkeyed;
		return RowFactory.create(values);
	}

	/**
	 * The lake row of an applied event.
	 * @param event the parsed event
	 * @param row its parsed Kafka row ({@link EventParsing})
	 * @param profileId the profile it was applied to
	 * @return a row of {@link LakeTable#SCHEMA}
	 */
	static Row toLakeRow(IncomingEvent event, Row row, UUID profileId) {
		Row envelope = row.getAs("envelope");
		Row payload = envelope.getAs("payload");
		String properties = event.propertiesJson();
		if ("alias".equals(event.type()) && event.previousId() != null && properties == null) {
			// the lake has no column for it; the identity recompute reads it here
			properties = ALIAS.createObjectNode().put("previousId", event.previousId()).toString();
		}
		return RowFactory.create(event.workspaceId(), event.eventId().toString(), profileId.toString(), event.type(),
				event.eventName().isEmpty() ? null : event.eventName(), event.userId(), event.anonymousId(),
				Timestamp.from(event.occurredAt()), instantOrNull(envelope.getAs("receivedAt")), event.sourceId(),
				properties, row.getAs("context"), (payload != null) ? payload.getAs("traits") : null);
	}

	private static Timestamp instantOrNull(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Timestamp.from(Instant.parse(text));
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static String key(String workspaceId, UUID eventId) {
		return workspaceId + '\u0000' + eventId;
	}

	private record Candidate(IncomingEvent event, Row row) {
	}

	private record Applied(UUID profileId, String batch) {
	}

}
