package io.lodestar.gateway.access;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access settings, prefix {@code lodestar.gateway.security}.
 *
 * @param tokenSecret the HMAC secret that signs access tokens, at least 32 characters;
 * every gateway instance needs the same one. Empty: a random secret per start (tokens end
 * with the process — fine on one machine, wrong for several instances)
 * @param accessTokenTtl how long an access token is valid
 * @param refreshTokenTtl how long a refresh token is valid
 * @param bcryptStrength the bcrypt cost of password hashes
 * @param admin the administrator created on the first start
 * @param rateLimit requests per caller
 * @param corsOrigins origins allowed to call the API from a browser (the dashboard served
 * by the gateway itself needs none)
 * @param maxRequestBytes the largest request body the gateway forwards outside the
 * collector (which enforces its own limits)
 * @param serviceSecret the HMAC secret shared with the services (at least 32 characters)
 * under which the gateway vouches for each request's workspace and actor; empty: no
 * assertion is sent
 */
@ConfigurationProperties("lodestar.gateway.security")
public record SecurityProperties(@DefaultValue("") String tokenSecret, @DefaultValue("15m") Duration accessTokenTtl,
		@DefaultValue("30d") Duration refreshTokenTtl, @DefaultValue("11") int bcryptStrength,
		@DefaultValue Admin admin, @DefaultValue RateLimit rateLimit, @DefaultValue( {
		}) List<String> corsOrigins, @DefaultValue("1048576") long maxRequestBytes,
		@DefaultValue("") String serviceSecret){

	/**
	 * The first administrator, created when no user exists yet.
	 *
	 * @param username the login
	 * @param password the password; empty: a random one, printed once on the console
	 * @param workspace the workspace the administrator administers
	 */
	public record Admin(@DefaultValue("admin") String username, @DefaultValue("") String password,
			@DefaultValue("default") String workspace) {
	}

	/**
	 * Token buckets per caller (user or API key) and per client address for logins.
	 *
	 * @param requestsPerSecond sustained requests per second per caller
	 * @param burst requests a caller may send at once
	 * @param loginsPerMinute login attempts per minute per client address
	 */
	public record RateLimit(@DefaultValue("500") int requestsPerSecond, @DefaultValue("1000") int burst,
			@DefaultValue("20") int loginsPerMinute) {
	}

}
