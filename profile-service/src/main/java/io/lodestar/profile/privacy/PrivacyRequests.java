package io.lodestar.profile.privacy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code privacy_request}, {@code privacy_export} and {@code privacy_audit} tables.
 * Workers claim due requests with {@code FOR UPDATE SKIP LOCKED} and hold them for a
 * lease, so several service instances share the work and a request whose worker died is
 * taken over.
 */
@Repository
class PrivacyRequests {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	PrivacyRequests(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	PrivacyRequestView create(String workspace, String kind, UUID profileId) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into profile.privacy_request (request_id, workspace_id, kind, profile_id, status)
				values (:id, :workspace, :kind, :profile, 'pending')""")
			.param("id", id)
			.param("workspace", workspace)
			.param("kind", kind)
			.param("profile", profileId)
			.update();
		return find(workspace, id).orElseThrow();
	}

	Optional<PrivacyRequestView> find(String workspace, UUID id) {
		return this.jdbc
			.sql("select * from profile.privacy_request where workspace_id = :workspace and request_id = :id")
			.param("workspace", workspace)
			.param("id", id)
			.query((row, n) -> view(row))
			.optional();
	}

	List<PrivacyRequestView> recent(String workspace, int limit) {
		return this.jdbc.sql("""
				select * from profile.privacy_request where workspace_id = :workspace
				 order by requested_at desc, request_id limit :limit""")
			.param("workspace", workspace)
			.param("limit", limit)
			.query((row, n) -> view(row))
			.list();
	}

	/**
	 * Takes the next due request, if any, for the length of a lease.
	 */
	Optional<Claimed> claim(Duration lease) {
		return this.jdbc.sql("""
				update profile.privacy_request r
				   set status = 'running', attempts = r.attempts + 1, started_at = coalesce(r.started_at, now()),
				       next_attempt_at = now() + cast(:lease as interval)
				 where r.request_id = (select request_id from profile.privacy_request
				                        where status in ('pending', 'running') and next_attempt_at <= now()
				                        order by next_attempt_at limit 1 for update skip locked)
				returning r.request_id, r.workspace_id, r.kind, r.profile_id, r.attempts""")
			.param("lease", lease.toSeconds() + " seconds")
			.query((row, n) -> new Claimed(row.getObject("request_id", UUID.class), row.getString("workspace_id"),
					row.getString("kind"), row.getObject("profile_id", UUID.class), row.getInt("attempts")))
			.optional();
	}

	void complete(UUID id, Map<String, Object> result) {
		this.jdbc.sql("""
				update profile.privacy_request
				   set status = 'completed', completed_at = now(), error = null, result = cast(:result as jsonb)
				 where request_id = :id""")
			.param("id", id)
			.param("result", this.json.writeValueAsString(result))
			.update();
	}

	/** After an erasure, not even the pseudonymous profile id stays on the request. */
	void forgetSubject(UUID id) {
		this.jdbc.sql("update profile.privacy_request set profile_id = null where request_id = :id")
			.param("id", id)
			.update();
	}

	void retryLater(UUID id, String error, Instant at) {
		this.jdbc.sql("update profile.privacy_request set error = :error, next_attempt_at = :at where request_id = :id")
			.param("id", id)
			.param("error", error)
			.param("at", Timestamp.from(at))
			.update();
	}

	void fail(UUID id, String error) {
		this.jdbc.sql("""
				update profile.privacy_request set status = 'failed', completed_at = now(), error = :error
				 where request_id = :id""").param("id", id).param("error", error).update();
	}

	void saveExport(UUID id, Map<String, Object> document, Instant expiresAt) {
		this.jdbc
			.sql("""
					insert into profile.privacy_export (request_id, document, expires_at)
					values (:id, cast(:document as jsonb), :expires)
					on conflict (request_id) do update set document = excluded.document, expires_at = excluded.expires_at""")
			.param("id", id)
			.param("document", this.json.writeValueAsString(document))
			.param("expires", Timestamp.from(expiresAt))
			.update();
	}

	/**
	 * The export of a completed access request, unless it has expired.
	 */
	Optional<String> export(String workspace, UUID id) {
		return this.jdbc.sql("""
				select e.document::text from profile.privacy_export e
				  join profile.privacy_request r on r.request_id = e.request_id
				 where r.workspace_id = :workspace and e.request_id = :id and e.expires_at > now()""")
			.param("workspace", workspace)
			.param("id", id)
			.query(String.class)
			.optional();
	}

	int deleteExpiredExports() {
		return this.jdbc.sql("delete from profile.privacy_export where expires_at <= now()").update();
	}

	void audit(String workspace, UUID requestId, String action, Map<String, Object> detail) {
		this.jdbc.sql("""
				insert into profile.privacy_audit (workspace_id, request_id, action, detail)
				values (:workspace, :request, :action, cast(:detail as jsonb))""")
			.param("workspace", workspace)
			.param("request", requestId)
			.param("action", action)
			.param("detail", this.json.writeValueAsString(detail))
			.update();
	}

	List<Map<String, Object>> auditTrail(String workspace, int limit) {
		return this.jdbc.sql("""
				select audit_id, request_id, action, detail::text as detail, at from profile.privacy_audit
				 where workspace_id = :workspace order by at desc, audit_id desc limit :limit""")
			.param("workspace", workspace)
			.param("limit", limit)
			.query((row, n) -> Map.<String, Object>of("auditId", row.getLong("audit_id"), "requestId",
					row.getObject("request_id", UUID.class), "action", row.getString("action"), "detail",
					this.json.readValue(row.getString("detail"), MAP), "at", row.getTimestamp("at").toInstant()))
			.list();
	}

	private PrivacyRequestView view(ResultSet row) throws SQLException {
		String result = row.getString("result");
		return new PrivacyRequestView(row.getObject("request_id", UUID.class), row.getString("kind"),
				row.getString("status"), row.getObject("profile_id", UUID.class), row.getInt("attempts"),
				instant(row, "requested_at"), instant(row, "started_at"), instant(row, "completed_at"),
				row.getString("error"), (result != null) ? this.json.readValue(result, MAP) : null);
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/** A request a worker holds. */
	record Claimed(UUID requestId, String workspaceId, String kind, UUID profileId, int attempts) {
	}

}
