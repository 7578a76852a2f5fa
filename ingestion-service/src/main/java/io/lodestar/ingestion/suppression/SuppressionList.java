package io.lodestar.ingestion.suppression;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import tools.jackson.databind.JsonNode;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

/**
 * The suppression hashes of every workspace, held in memory and refreshed incrementally
 * (rows are only ever added, by id). A workspace with no erased person costs one map
 * lookup per event; otherwise each of the event's identifiers is hashed as
 * profile-service hashed it and looked up.
 */
@Component
public class SuppressionList {

	private static final Logger logger = LoggerFactory.getLogger(SuppressionList.class);

	private static final String UNDEFINED_TABLE = "42P01";

	private final JdbcTemplate jdbc;

	private final Map<String, Set<String>> hashes = new ConcurrentHashMap<>();

	private volatile long lastId;

	private volatile boolean warned;

	/**
	 * @param jdbc the database holding {@code profile.suppressed_identity}
	 */
	public SuppressionList(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Reads the rows added since the last refresh. Until profile-service has created its
	 * table the list is empty (and says so once in the log).
	 */
	@Scheduled(fixedDelayString = "${lodestar.ingestion.suppression-refresh:2s}")
	public void refresh() {
		try {
			List<Map<String, Object>> rows;
			do {
				rows = this.jdbc.queryForList("""
						select id, workspace_id, value_sha256 from profile.suppressed_identity
						 where id > ? order by id limit 10000""", this.lastId);
				for (Map<String, Object> row : rows) {
					this.hashes
						.computeIfAbsent((String) row.get("workspace_id"), (key) -> ConcurrentHashMap.newKeySet())
						.add(((String) row.get("value_sha256")).strip());
					this.lastId = ((Number) row.get("id")).longValue();
				}
			}
			while (rows.size() == 10000);
		}
		catch (DataAccessException ex) {
			if (ex.getMostSpecificCause() instanceof SQLException sql && UNDEFINED_TABLE.equals(sql.getSQLState())) {
				if (!this.warned) {
					logger.warn("profile.suppressed_identity does not exist yet (profile-service not migrated); "
							+ "no event is suppressed until it does");
					this.warned = true;
				}
				return;
			}
			throw ex;
		}
	}

	void add(String workspace, String suppressionHash) {
		this.hashes.computeIfAbsent(workspace, (key) -> ConcurrentHashMap.newKeySet()).add(suppressionHash);
	}

	/**
	 * Whether the event carries an identifier of an erased person of its workspace: its
	 * user id, anonymous id, email or phone in traits, or device ids in context.
	 * @param event an accepted event
	 * @return true when it must be dropped
	 */
	public boolean suppressed(EventEnvelope event) {
		Set<String> workspace = this.hashes.get(event.workspaceId());
		if (workspace == null || workspace.isEmpty()) {
			return false;
		}
		if (event.identity() != null && (matches(workspace, IdentifierKind.USER_ID, event.identity().userId())
				|| matches(workspace, IdentifierKind.ANONYMOUS_ID, event.identity().anonymousId()))) {
			return true;
		}
		Object payload = event.payload();
		Object context = event.context();
		for (Object traits : Arrays.asList(field(payload, "traits"), field(context, "traits"),
				field(payload, "properties"))) {
			if (matches(workspace, IdentifierKind.EMAIL_SHA256, string(field(traits, "email")))
					|| matches(workspace, IdentifierKind.PHONE_SHA256, string(field(traits, "phone")))) {
				return true;
			}
		}
		Object device = field(context, "device");
		return matches(workspace, IdentifierKind.DEVICE_ID, string(field(device, "advertisingId")))
				|| matches(workspace, IdentifierKind.DEVICE_ID, string(field(device, "id")));
	}

	private static boolean matches(Set<String> workspace, IdentifierKind kind, String raw) {
		if (raw == null) {
			return false;
		}
		return Identifiers.storedValue(kind, raw)
			.map((stored) -> Identifiers.suppressionHash(kind, stored))
			.map(workspace::contains)
			.orElse(false);
	}

	/**
	 * A member of an object: the collector's envelopes hold maps whose values may be
	 * parsed JSON nodes.
	 */
	private static Object field(Object container, String name) {
		if (container instanceof Map<?, ?> map) {
			return map.get(name);
		}
		if (container instanceof JsonNode node && node.isObject()) {
			return node.get(name);
		}
		return null;
	}

	private static String string(Object value) {
		if (value instanceof String string) {
			return string;
		}
		return (value instanceof JsonNode node && node.isString()) ? node.stringValue() : null;
	}

}
