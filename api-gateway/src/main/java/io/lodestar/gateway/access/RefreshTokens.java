package io.lodestar.gateway.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Long-lived, single-use refresh tokens, stored as SHA-256. Each refresh replaces the
 * token with a new one of the same family; presenting a replaced token again means it was
 * copied, and revokes the whole family.
 */
@Component
class RefreshTokens {

	static final String PREFIX = "lsr_";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final SecurityProperties properties;

	private final Clock clock;

	RefreshTokens(JdbcClient jdbc, TransactionTemplate transactions, SecurityProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @return a new token, first of its family
	 */
	String issue(UUID userId) {
		return insert(userId, UUID.randomUUID());
	}

	/**
	 * Replaces a valid token with a new one of its family.
	 * @param token the presented token
	 * @return the user and the new token; empty when the token is unknown, expired,
	 * revoked or already replaced (then the family is revoked)
	 */
	Optional<Rotated> rotate(String token) {
		String hash = Secrets.sha256(token);
		return this.transactions.execute((status) -> {
			Optional<Map<String, Object>> row = this.jdbc
				.sql("select user_id, family, expires_at, replaced_at, revoked_at from refresh_token "
						+ "where token_hash = :hash for update")
				.param("hash", hash)
				.query()
				.listOfRows()
				.stream()
				.findFirst();
			if (row.isEmpty()) {
				return Optional.<Rotated>empty();
			}
			UUID user = (UUID) row.get().get("user_id");
			UUID family = (UUID) row.get().get("family");
			if (row.get().get("replaced_at") != null) {
				revokeFamily(family);
				return Optional.<Rotated>empty();
			}
			Instant expires = ((Timestamp) row.get().get("expires_at")).toInstant();
			if (row.get().get("revoked_at") != null || !expires.isAfter(this.clock.instant())) {
				return Optional.<Rotated>empty();
			}
			this.jdbc.sql("update refresh_token set replaced_at = :now where token_hash = :hash")
				.param("now", Timestamp.from(this.clock.instant()))
				.param("hash", hash)
				.update();
			return Optional.of(new Rotated(user, insert(user, family)));
		});
	}

	/**
	 * Logs out: revokes the token's family.
	 */
	void revoke(String token) {
		this.jdbc
			.sql("update refresh_token set revoked_at = now() where revoked_at is null and family = "
					+ "(select family from refresh_token where token_hash = :hash)")
			.param("hash", Secrets.sha256(token))
			.update();
	}

	void revokeAll(UUID userId) {
		this.jdbc.sql("update refresh_token set revoked_at = now() where revoked_at is null and user_id = :user")
			.param("user", userId)
			.update();
	}

	private void revokeFamily(UUID family) {
		this.jdbc.sql("update refresh_token set revoked_at = now() where revoked_at is null and family = :family")
			.param("family", family)
			.update();
	}

	private String insert(UUID userId, UUID family) {
		String token = Secrets.random(PREFIX);
		Instant now = this.clock.instant();
		this.jdbc
			.sql("insert into refresh_token (token_hash, user_id, family, created_at, expires_at) "
					+ "values (:hash, :user, :family, :now, :expires)")
			.param("hash", Secrets.sha256(token))
			.param("user", userId)
			.param("family", family)
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(now.plus(this.properties.refreshTokenTtl())))
			.update();
		return token;
	}

	record Rotated(UUID userId, String token) {
	}

}
