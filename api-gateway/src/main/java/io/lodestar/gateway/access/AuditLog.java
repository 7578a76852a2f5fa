package io.lodestar.gateway.access;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log (table {@code audit_entry}): every change made through the gateway and
 * every export or privacy read — who as an actor id, what as method and path, when, from
 * which address, with which status. Query strings are never stored and path segments that
 * look like an email address or a phone number are masked, so no personal data lands
 * here.
 */
@Component
class AuditLog {

	private static final Pattern PERSONAL_SEGMENT = Pattern.compile("[^/]*(@|%40)[^/]*|\\+?[0-9][0-9 ().-]{6,}");

	private final JdbcClient jdbc;

	AuditLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(Entry entry) {
		this.jdbc
			.sql("insert into audit_entry (workspace_id, actor, method, path, status, client_ip, request_id) "
					+ "values (:workspace, :actor, :method, :path, :status, :ip, :requestId)")
			.param("workspace", entry.workspace())
			.param("actor", entry.actor())
			.param("method", entry.method())
			.param("path", safePath(entry.path()))
			.param("status", entry.status())
			.param("ip", entry.clientIp())
			.param("requestId", entry.requestId())
			.update();
	}

	/**
	 * @param workspace the workspace
	 * @param limit most entries
	 * @param beforeId only entries older than this id; null from the newest
	 * @return the newest entries first
	 */
	List<Recorded> list(String workspace, int limit, Long beforeId) {
		return this.jdbc
			.sql("select id, at, actor, method, path, status, client_ip, request_id from audit_entry "
					+ "where workspace_id = :workspace and (cast(:before as bigint) is null or id < :before) "
					+ "order by id desc limit :limit")
			.param("workspace", workspace)
			.param("before", beforeId)
			.param("limit", limit)
			.query((rs, n) -> new Recorded(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
					rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8)))
			.list();
	}

	static String safePath(String path) {
		String[] segments = path.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			if (PERSONAL_SEGMENT.matcher(segments[i]).matches()) {
				segments[i] = "*";
			}
		}
		return String.join("/", segments);
	}

	record Entry(String workspace, String actor, String method, String path, int status, String clientIp,
			String requestId) {
	}

	record Recorded(long id, Instant at, String actor, String method, String path, int status, String clientIp,
			String requestId) {
	}

}
