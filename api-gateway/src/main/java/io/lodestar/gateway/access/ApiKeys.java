package io.lodestar.gateway.access;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys of machine clients (table {@code api_key}): each belongs to one workspace and
 * carries a set of permissions; only its SHA-256 is stored and the key itself is shown
 * once. Resolved keys are cached for {@link #CACHE_TTL}: a revocation takes effect within
 * that time on every gateway instance.
 */
@Component
class ApiKeys {

	static final String PREFIX = "lsk_";

	static final Duration CACHE_TTL = Duration.ofSeconds(10);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	ApiKeys(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * @param secret a presented key
	 * @return its caller, when the key exists and is not revoked
	 */
	Optional<Caller> resolve(String secret) {
		String hash = Secrets.sha256(secret);
		Optional<Optional<Caller>> cached = cached(hash);
		return cached.isPresent() ? cached.get() : load(hash);
	}

	/**
	 * The answer of {@link #resolve} when it needs no database: for a key resolved (or
	 * found unknown) within the cache time. Cheap enough for an event-loop thread.
	 * @param secret a presented key
	 * @return the cached answer; empty when the key must be looked up
	 */
	Optional<Optional<Caller>> resolveCached(String secret) {
		return cached(Secrets.sha256(secret));
	}

	private Optional<Optional<Caller>> cached(String hash) {
		Cached cached = this.cache.get(hash);
		return (cached != null && cached.until().isAfter(this.clock.instant())) ? Optional.of(cached.caller())
				: Optional.empty();
	}

	private Optional<Caller> load(String hash) {
		Instant now = this.clock.instant();
		Optional<Caller> caller = this.jdbc
			.sql("update api_key set last_used_at = now() where key_hash = :hash and revoked_at is null "
					+ "returning id, workspace_id, permissions")
			.param("hash", hash)
			.query((rs, n) -> Caller.apiKey(rs.getObject(1, UUID.class).toString(), rs.getString(2),
					permissions(rs.getArray(3))))
			.optional();
		if (this.cache.size() > 10_000) {
			this.cache.clear();
		}
		this.cache.put(hash, new Cached(caller, now.plus(CACHE_TTL)));
		return caller;
	}

	/**
	 * @return the new key's description and the key itself, which is never shown again
	 */
	Created create(String workspace, String name, Set<Permission> permissions, String createdBy) {
		UUID id = UUID.randomUUID();
		String secret = Secrets.random(PREFIX);
		this.jdbc
			.sql("insert into api_key (id, workspace_id, name, prefix, key_hash, permissions, created_by) "
					+ "values (:id, :workspace, :name, :prefix, :hash, :permissions, :createdBy)")
			.param("id", id)
			.param("workspace", workspace)
			.param("name", name)
			.param("prefix", secret.substring(0, PREFIX.length() + 6))
			.param("hash", Secrets.sha256(secret))
			.param("permissions", wireNames(permissions))
			.param("createdBy", createdBy)
			.update();
		return new Created(find(workspace, id).orElseThrow(), secret);
	}

	/**
	 * Replaces a key's secret; the old secret stops working (within the cache time).
	 * @return the key with its new secret; empty when the workspace has no such live key
	 */
	Optional<Created> rotate(String workspace, UUID id) {
		String secret = Secrets.random(PREFIX);
		int updated = this.jdbc
			.sql("update api_key set key_hash = :hash, prefix = :prefix where id = :id and workspace_id = :workspace "
					+ "and revoked_at is null")
			.param("hash", Secrets.sha256(secret))
			.param("prefix", secret.substring(0, PREFIX.length() + 6))
			.param("id", id)
			.param("workspace", workspace)
			.update();
		this.cache.clear();
		return (updated == 1) ? find(workspace, id).map((key) -> new Created(key, secret)) : Optional.empty();
	}

	/**
	 * @return whether the workspace had such a live key
	 */
	boolean revoke(String workspace, UUID id) {
		int updated = this.jdbc
			.sql("update api_key set revoked_at = now() where id = :id and workspace_id = :workspace "
					+ "and revoked_at is null")
			.param("id", id)
			.param("workspace", workspace)
			.update();
		this.cache.clear();
		return updated == 1;
	}

	List<ApiKey> list(String workspace) {
		return this.jdbc
			.sql("select id, name, prefix, permissions, created_by, created_at, revoked_at, last_used_at from api_key "
					+ "where workspace_id = :workspace order by created_at desc")
			.param("workspace", workspace)
			.query((rs, n) -> new ApiKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					List.of(wireNames(permissions(rs.getArray(4)))), rs.getString(5), instant(rs.getTimestamp(6)),
					instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8))))
			.list();
	}

	Optional<ApiKey> find(String workspace, UUID id) {
		return list(workspace).stream().filter((key) -> key.id().equals(id)).findFirst();
	}

	private static Set<Permission> permissions(Array array) throws SQLException {
		Set<Permission> permissions = EnumSet.noneOf(Permission.class);
		for (Object name : (Object[]) array.getArray()) {
			Permission.fromWireName(String.valueOf(name)).ifPresent(permissions::add);
		}
		return permissions;
	}

	private static String[] wireNames(Set<Permission> permissions) {
		return permissions.stream().map(Permission::wireName).sorted().toArray(String[]::new);
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A key as listed: never its secret or hash.
	 */
	record ApiKey(UUID id, String name, String prefix, List<String> permissions, String createdBy, Instant createdAt,
			Instant revokedAt, Instant lastUsedAt) {
	}

	record Created(ApiKey key, String secret) {
	}

	private record Cached(Optional<Caller> caller, Instant until) {
	}

}
