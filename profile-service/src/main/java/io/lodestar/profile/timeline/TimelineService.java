package io.lodestar.profile.timeline;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import io.lodestar.profile.lake.LakeClient;
import io.lodestar.profile.lookup.ProfileService;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * Reads {@code profile.profile_event} with keyset paging on (occurred_at, event_id), so a
 * page stays stable while new events arrive; every value is bound, never spliced into the
 * SQL. With a retention set, events older than it live only in the lake: once PostgreSQL
 * has no more for a page, the page goes on from the lake (the profile's own events and
 * those of profiles merged into it) in the same order, under the same cursor — one
 * timeline behind one API.
 */
@Service
class TimelineService {

	private final NamedParameterJdbcTemplate jdbc;

	private final ProfileService profiles;

	private final JsonMapper json;

	private final LakeClient lake;

	private final TimelineProperties properties;

	private final Clock clock = Clock.systemUTC();

	TimelineService(NamedParameterJdbcTemplate jdbc, ProfileService profiles, JsonMapper json, LakeClient lake,
			TimelineProperties properties) {
		this.jdbc = jdbc;
		this.profiles = profiles;
		this.json = json;
		this.lake = lake;
		this.properties = properties;
	}

	Optional<TimelinePage> page(Workspace workspace, UUID profileId, TimelineQuery query) {
		return this.profiles.resolve(workspace, profileId).map((survivor) -> read(workspace, survivor, query));
	}

	private TimelinePage read(Workspace workspace, UUID profileId, TimelineQuery query) {
		StringBuilder sql = new StringBuilder("""
				select event_id, event_type, event_name, occurred_at, properties::text as properties
				  from profile.profile_event
				 where workspace_id = :workspace and profile_id = :profile""");
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("workspace", workspace.id())
			.addValue("profile", profileId)
			.addValue("limit", query.limit() + 1);
		if (query.type() != null) {
			sql.append(" and event_type = :type");
			parameters.addValue("type", query.type());
		}
		if (query.from() != null) {
			sql.append(" and occurred_at >= :from");
			parameters.addValue("from", Timestamp.from(query.from()));
		}
		if (query.to() != null) {
			sql.append(" and occurred_at < :to");
			parameters.addValue("to", Timestamp.from(query.to()));
		}
		if (query.cursor() != null) {
			Cursor cursor = Cursor.decode(query.cursor());
			sql.append(" and (occurred_at, event_id) < (:cursorAt, :cursorId)");
			parameters.addValue("cursorAt", Timestamp.from(cursor.occurredAt())).addValue("cursorId", cursor.eventId());
		}
		sql.append(" order by occurred_at desc, event_id desc limit :limit");
		List<TimelinePage.Event> events = this.jdbc
			.query(sql.toString(), parameters, (row, n) -> new TimelinePage.Event(row.getObject("event_id", UUID.class),
					row.getString("event_type"), row.getString("event_name"),
					row.getTimestamp("occurred_at").toInstant(),
					(row.getString("properties") != null) ? this.json.readTree(row.getString("properties")) : null));
		if (events.size() <= query.limit() && olderInLake(workspace, profileId)) {
			events = new ArrayList<>(events);
			events.addAll(fromLake(workspace, profileId, query, events, query.limit() + 1 - events.size()));
		}
		String next = null;
		if (events.size() > query.limit()) {
			events = events.subList(0, query.limit());
			TimelinePage.Event last = events.get(events.size() - 1);
			next = new Cursor(last.occurredAt(), last.eventId()).encode();
		}
		return new TimelinePage(profileId, events, next);
	}

	/**
	 * Whether the lake may hold events PostgreSQL no longer has: a retention is set, a
	 * lake is configured, and the profile is older than the retention.
	 */
	private boolean olderInLake(Workspace workspace, UUID profileId) {
		if (this.properties.keepsEverything() || !this.lake.configured()) {
			return false;
		}
		Timestamp boundary = Timestamp.from(this.clock.instant().minus(this.properties.retention()));
		Boolean older = this.jdbc.queryForObject("""
				select exists (select 1 from profile.profile where workspace_id = :workspace and profile_id = :profile
				                  and first_seen_at < :boundary)""",
				new MapSqlParameterSource("workspace", workspace.id()).addValue("profile", profileId)
					.addValue("boundary", boundary),
				Boolean.class);
		return Boolean.TRUE.equals(older);
	}

	/** The page's rest from the lake, after what PostgreSQL gave (or the cursor). */
	private List<TimelinePage.Event> fromLake(Workspace workspace, UUID profileId, TimelineQuery query,
			List<TimelinePage.Event> fromDatabase, int wanted) {
		LakeClient.Point before = null;
		if (!fromDatabase.isEmpty()) {
			TimelinePage.Event last = fromDatabase.get(fromDatabase.size() - 1);
			before = new LakeClient.Point(last.occurredAt(), last.eventId());
		}
		else if (query.cursor() != null) {
			Cursor cursor = Cursor.decode(query.cursor());
			before = new LakeClient.Point(cursor.occurredAt(), cursor.eventId());
		}
		if (query.to() != null && (before == null || query.to().isBefore(before.occurredAt())
				|| query.to().equals(before.occurredAt()))) {
			// everything before "to": a point ahead of every event at that instant
			before = new LakeClient.Point(query.to().minusNanos(1), new UUID(-1L, -1L));
		}
		List<UUID> profiles = new ArrayList<>();
		profiles.add(profileId);
		profiles.addAll(this.jdbc.queryForList("""
				select merged_profile_id from profile.profile_merge
				 where workspace_id = :workspace and into_profile_id = :profile""",
				new MapSqlParameterSource("workspace", workspace.id()).addValue("profile", profileId), UUID.class));
		java.util.Set<UUID> seen = new java.util.HashSet<>();
		fromDatabase.forEach((event) -> seen.add(event.eventId()));
		List<TimelinePage.Event> events = new ArrayList<>();
		for (JsonNode row : this.lake.page(workspace.id(), profiles, before, (row) -> accepts(row, query), wanted)) {
			UUID id = UUID.fromString(row.path("eventId").asString());
			if (seen.add(id)) {
				String name = row.path("name").asString(null);
				String properties = row.path("properties").asString(null);
				events.add(new TimelinePage.Event(id, row.path("type").asString(), (name != null) ? name : "",
						Instant.parse(row.path("occurredAt").asString()),
						(properties != null) ? this.json.readTree(properties) : null));
			}
		}
		return events;
	}

	private static boolean accepts(JsonNode row, TimelineQuery query) {
		if (query.type() != null && !query.type().equals(row.path("type").asString())) {
			return false;
		}
		return query.from() == null || !Instant.parse(row.path("occurredAt").asString()).isBefore(query.from());
	}

	/** Where the previous page ended: opaque to clients. */
	record Cursor(Instant occurredAt, UUID eventId) {

		String encode() {
			String text = this.occurredAt.getEpochSecond() + "." + this.occurredAt.getNano() + "/" + this.eventId;
			return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
		}

		static Cursor decode(String cursor) {
			try {
				String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
				String[] parts = text.split("[./]");
				return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
						UUID.fromString(parts[2]));
			}
			catch (RuntimeException ex) {
				throw new BadRequestException("invalid-cursor", "Invalid cursor",
						"cursor must be a nextCursor value from a previous page");
			}
		}

	}

}
