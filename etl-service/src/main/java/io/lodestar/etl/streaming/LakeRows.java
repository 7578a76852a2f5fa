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

import io.lodestar.etl.lake.LakeTable;

/**
 * The lake rows of a micro-batch: its clean events — those PostgreSQL applied, i.e. with
 * a timeline row — with the profile each was applied to (after merges). Rejected and
 * quarantined events have no timeline row and stay out of the lake.
 */
final class LakeRows implements Serializable {

	private static final int LOOKUP_CHUNK = 500;

	private static final com.fasterxml.jackson.databind.ObjectMapper ALIAS = new com.fasterxml.jackson.databind.ObjectMapper();

	private final JdbcTarget target;

	LakeRows(JdbcTarget target) {
		this.target = target;
	}

	Dataset<Row> of(Dataset<Row> parsed) {
		JdbcTarget jdbc = this.target;
		return parsed.mapPartitions((MapPartitionsFunction<Row, Row>) (rows) -> lakeRows(jdbc, rows),
				Encoders.row(LakeTable.SCHEMA));
	}

	private static Iterator<Row> lakeRows(JdbcTarget jdbc, Iterator<Row> rows) throws SQLException {
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
					resolve(connection, chunk, out);
					chunk.clear();
				}
			}
			if (!chunk.isEmpty()) {
				resolve(connection, chunk, out);
			}
			connection.rollback();
		}
		return out.iterator();
	}

	private static void resolve(Connection connection, List<Candidate> chunk, List<Row> out) throws SQLException {
		Map<String, UUID> profiles = new HashMap<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select e.workspace_id, e.event_id, e.profile_id
				  from profile.profile_event e
				  join unnest(?::text[], ?::uuid[]) as k(workspace_id, event_id)
				    on e.workspace_id = k.workspace_id and e.event_id = k.event_id""")) {
			select.setArray(1, connection.createArrayOf("text",
					chunk.stream().map((candidate) -> candidate.event().workspaceId()).toArray()));
			select.setArray(2, connection.createArrayOf("uuid",
					chunk.stream().map((candidate) -> candidate.event().eventId()).toArray()));
			try (ResultSet result = select.executeQuery()) {
				while (result.next()) {
					profiles.put(key(result.getString(1), result.getObject(2, UUID.class)),
							result.getObject(3, UUID.class));
				}
			}
		}
		for (Candidate candidate : chunk) {
			UUID profileId = profiles.get(key(candidate.event().workspaceId(), candidate.event().eventId()));
			if (profileId != null) {
				out.add(toLakeRow(candidate.event(), candidate.row(), profileId));
			}
		}
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

}
