package io.lodestar.gateway.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The state of OpenID Connect sign-ins in PostgreSQL, so that any gateway instance can
 * finish what another began: logins in flight (single use, ten minutes), the one-time
 * codes that hand a finished sign-in to the dashboard (stored hashed, single use, one
 * minute), and the provider subjects linked to users.
 */
@Component
class OidcSignIns {

	static final Duration LOGIN_TTL = Duration.ofMinutes(10);

	static final Duration HANDOFF_TTL = Duration.ofMinutes(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	OidcSignIns(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A login in flight.
	 *
	 * @param state its state (sent to the provider and back)
	 * @param nonce the ID token must carry it
	 * @param codeVerifier the PKCE verifier
	 * @param redirect where the dashboard continues
	 */
	record Login(String state, String nonce, String codeVerifier, String redirect) {
	}

	Login begin(String redirect) {
		Login login = new Login(Secrets.random(""), Secrets.random(""), Secrets.random(""), redirect);
		this.jdbc.sql("delete from oidc_login where expires_at < :now")
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
		this.jdbc.sql("""
				insert into oidc_login (state, nonce, code_verifier, redirect, expires_at)
				values (:state, :nonce, :verifier, :redirect, :expires)""")
			.param("state", login.state())
			.param("nonce", login.nonce())
			.param("verifier", login.codeVerifier())
			.param("redirect", redirect)
			.param("expires", Timestamp.from(this.clock.instant().plus(LOGIN_TTL)))
			.update();
		return login;
	}

	/** Takes the login of a state once; a second call, or a late one, finds nothing. */
	Optional<Login> take(String state) {
		return this.jdbc.sql("""
				delete from oidc_login where state = :state and expires_at >= :now
				returning state, nonce, code_verifier, redirect""")
			.param("state", state)
			.param("now", Timestamp.from(this.clock.instant()))
			.query((row, n) -> new Login(row.getString("state"), row.getString("nonce"), row.getString("code_verifier"),
					row.getString("redirect")))
			.optional();
	}

	Optional<UUID> linkedUser(String issuer, String subject) {
		return this.jdbc.sql("""
				select i.user_id from oidc_identity i join app_user u on u.id = i.user_id
				 where i.issuer = :issuer and i.subject = :subject and u.disabled_at is null""")
			.param("issuer", issuer)
			.param("subject", subject)
			.query(UUID.class)
			.optional();
	}

	void link(String issuer, String subject, UUID userId) {
		this.jdbc.sql("""
				insert into oidc_identity (issuer, subject, user_id) values (:issuer, :subject, :user)
				on conflict (issuer, subject) do nothing""")
			.param("issuer", issuer)
			.param("subject", subject)
			.param("user", userId)
			.update();
	}

	/** A one-time code the dashboard exchanges for a session. */
	String handoff(UUID userId) {
		String code = Secrets.random("lso_");
		this.jdbc.sql("delete from oidc_handoff where expires_at < :now")
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
		this.jdbc.sql("insert into oidc_handoff (code_hash, user_id, expires_at) values (:hash, :user, :expires)")
			.param("hash", Secrets.sha256(code))
			.param("user", userId)
			.param("expires", Timestamp.from(this.clock.instant().plus(HANDOFF_TTL)))
			.update();
		return code;
	}

	/** The user of an unused, unexpired code, which is used up by this call. */
	Optional<UUID> redeem(String code) {
		return this.jdbc.sql("""
				update oidc_handoff set used_at = :now
				 where code_hash = :hash and used_at is null and expires_at >= :now
				returning user_id""")
			.param("hash", Secrets.sha256(code))
			.param("now", Timestamp.from(this.clock.instant()))
			.query(UUID.class)
			.optional();
	}

}
