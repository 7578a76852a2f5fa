package io.lodestar.segment.destination;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The destinations of a workspace's segments and their delivery logs (tables
 * {@code destination}, {@code destination_queue}, {@code delivery}). Every query names
 * the workspace.
 */
@Component
class Destinations {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String COLUMNS = """
			d.destination_id, d.segment_id, d.name, d.url, d.batch_size, d.enabled, d.created_at,
			d.consecutive_failures, d.next_attempt_at, d.last_delivered_at,
			(select count(*) from segment.destination_queue q where q.destination_id = d.destination_id) as pending""";

	private final JdbcClient jdbc;

	Destinations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	boolean segmentExists(String workspace, UUID segmentId) {
		return this.jdbc.sql(
				"select exists(select 1 from segment.segment where segment_id = :segment and workspace_id = :workspace)")
			.param("segment", segmentId)
			.param("workspace", workspace)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Creates the destination and queues the segment's current members as entries, so the
	 * endpoint starts with the whole audience.
	 * @return the destination and its signing secret, shown once
	 */
	@Transactional
	public Created create(String workspace, UUID segmentId, String name, String url, int batchSize) {
		UUID id = UUID.randomUUID();
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.jdbc
			.sql("""
					insert into segment.destination (destination_id, workspace_id, segment_id, name, url, signing_secret, batch_size)
					values (:id, :workspace, :segment, :name, :url, :secret, :batch)""")
			.param("id", id)
			.param("workspace", workspace)
			.param("segment", segmentId)
			.param("name", name)
			.param("url", url)
			.param("secret", secret)
			.param("batch", batchSize)
			.update();
		this.jdbc.sql("""
				insert into segment.destination_queue (destination_id, workspace_id, segment_id, profile_id, change, at)
				select :id, workspace_id, segment_id, profile_id, 'entered', entered_at from segment.membership
				 where segment_id = :segment and workspace_id = :workspace order by entered_at, profile_id""")
			.param("id", id)
			.param("segment", segmentId)
			.param("workspace", workspace)
			.update();
		return new Created(find(workspace, segmentId, id).orElseThrow(), secret);
	}

	List<Destination> list(String workspace, UUID segmentId) {
		return this.jdbc
			.sql("select " + COLUMNS + " from segment.destination d where d.workspace_id = :workspace "
					+ "and d.segment_id = :segment order by d.created_at")
			.param("workspace", workspace)
			.param("segment", segmentId)
			.query(Destinations::destination)
			.list();
	}

	Optional<Destination> find(String workspace, UUID segmentId, UUID destinationId) {
		return this.jdbc
			.sql("select " + COLUMNS + " from segment.destination d where d.workspace_id = :workspace "
					+ "and d.segment_id = :segment and d.destination_id = :id")
			.param("workspace", workspace)
			.param("segment", segmentId)
			.param("id", destinationId)
			.query(Destinations::destination)
			.optional();
	}

	boolean setEnabled(String workspace, UUID segmentId, UUID destinationId, boolean enabled) {
		return this.jdbc
			.sql("update segment.destination set enabled = :enabled, next_attempt_at = now() "
					+ "where workspace_id = :workspace and segment_id = :segment and destination_id = :id")
			.param("enabled", enabled)
			.param("workspace", workspace)
			.param("segment", segmentId)
			.param("id", destinationId)
			.update() == 1;
	}

	boolean delete(String workspace, UUID segmentId, UUID destinationId) {
		return this.jdbc
			.sql("delete from segment.destination where workspace_id = :workspace and segment_id = :segment "
					+ "and destination_id = :id")
			.param("workspace", workspace)
			.param("segment", segmentId)
			.param("id", destinationId)
			.update() == 1;
	}

	List<Delivery> deliveries(UUID destinationId, int limit) {
		return this.jdbc.sql("""
				select delivery_id, attempted_at, attempt, changes, skipped, outcome, http_status, error, duration_ms,
				       retry_at
				  from segment.delivery where destination_id = :id order by attempted_at desc limit :limit""")
			.param("id", destinationId)
			.param("limit", limit)
			.query((rs, n) -> new Delivery(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)), rs.getInt(3),
					rs.getInt(4), rs.getInt(5), rs.getString(6), (Integer) rs.getObject(7), rs.getString(8),
					rs.getLong(9), instant(rs.getTimestamp(10))))
			.list();
	}

	private static Destination destination(ResultSet rs, int row) throws SQLException {
		return new Destination(rs.getObject("destination_id", UUID.class), rs.getObject("segment_id", UUID.class),
				rs.getString("name"), rs.getString("url"), rs.getInt("batch_size"), rs.getBoolean("enabled"),
				instant(rs.getTimestamp("created_at")), rs.getLong("pending"), rs.getInt("consecutive_failures"),
				instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("last_delivered_at")));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A destination as the API shows it: never its signing secret.
	 */
	record Destination(UUID destinationId, UUID segmentId, String name, String url, int batchSize, boolean enabled,
			Instant createdAt, long pending, int consecutiveFailures, Instant nextAttemptAt, Instant lastDeliveredAt) {
	}

	record Created(Destination destination, String signingSecret) {
	}

	/**
	 * One attempt to deliver a batch.
	 */
	record Delivery(UUID deliveryId, Instant attemptedAt, int attempt, int changes, int skipped, String outcome,
			Integer httpStatus, String error, long durationMs, Instant retryAt) {
	}

}
