package io.lodestar.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import org.springframework.http.HttpHeaders;

/**
 * Signs the workspace assertion for a call from one service to another's internal API, in
 * the gateway's format ({@code v1.<b64url ws>.<b64url actor>.<expiry>.<b64url HMAC>}, ADR
 * 0017), so that internal endpoints check a workspace exactly as public ones do. Without
 * a service secret nothing is signed and the receiving service trusts the header (the
 * single-service set-up of tests and private ports).
 */
public final class ServiceAssertionSigner {

	private static final Duration TTL = Duration.ofSeconds(60);

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	private final byte[] secret;

	private final String actor;

	private final Clock clock;

	/**
	 * @param properties the shared web settings (their service secret)
	 * @param actor who calls, e.g. {@code service:profile-service}
	 * @param clock the clock
	 */
	public ServiceAssertionSigner(WebSupportProperties properties, String actor, Clock clock) {
		this.secret = properties.serviceSecret().getBytes(StandardCharsets.UTF_8);
		this.actor = actor;
		this.clock = clock;
		if (this.secret.length > 0) {
			// the verifier's own check of the secret's length
			new ServiceAssertionVerifier(properties.serviceSecret());
		}
	}

	/**
	 * The headers naming a workspace on a call to another service.
	 * @param workspace the workspace the call is for
	 * @return {@link Workspace#HEADER}, and the assertion when a secret is configured
	 */
	public HttpHeaders headers(String workspace) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(Workspace.HEADER, workspace);
		if (this.secret.length > 0) {
			headers.set(ServiceAssertionVerifier.HEADER, sign(workspace));
		}
		return headers;
	}

	String sign(String workspace) {
		String signed = "v1." + B64.encodeToString(workspace.getBytes(StandardCharsets.UTF_8)) + "."
				+ B64.encodeToString(this.actor.getBytes(StandardCharsets.UTF_8)) + "."
				+ this.clock.instant().plus(TTL).getEpochSecond();
		return signed + "." + B64.encodeToString(ServiceAssertionVerifier.hmac(this.secret, signed));
	}

}
