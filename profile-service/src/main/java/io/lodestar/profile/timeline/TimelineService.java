package io.lodestar.profile.timeline;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import io.lodestar.profile.lookup.ProfileService;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * Reads {@code profile.profile_event} with keyset paging on (occurred_at, event_id), so a
 * page stays stable while new events arrive. Every value is bound, never spliced into the
 * SQL.
 */
@Service
class TimelineService {

	private final NamedParameterJdbcTemplate jdbc;

	private final ProfileService profiles;

	private final JsonMapper json;

	TimelineService(NamedParameterJdbcTemplate jdbc, ProfileService profiles, JsonMapper json) {
		this.jdbc = jdbc;
		this.profiles = profiles;
		this.json = json;
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
		String next = null;
		if (events.size() > query.limit()) {
			events = events.subList(0, query.limit());
			TimelinePage.Event last = events.get(events.size() - 1);
			next = new Cursor(last.occurredAt(), last.eventId()).encode();
		}
		return new TimelinePage(profileId, events, next);
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
