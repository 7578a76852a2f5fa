package io.lodestar.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * The gateway's word to the services, header {@value #HEADER}: which workspace and actor
 * it checked, valid for {@link #TTL}, signed with the secret the gateway shares with the
 * services ({@code LODESTAR_SERVICE_SECRET}). Services with the secret refuse a request
 * whose workspace the gateway did not vouch for (web-support's
 * {@code WorkspaceArgumentResolver}). The format, verified there against the same golden
 * vector: {@code v1.<b64url ws>.<b64url actor>.<expiry epoch s>.<b64url HMAC-SHA256 of
 * everything before the last dot>}.
 */
@Component
class ServiceAssertion {

	static final String HEADER = "X-Lodestar-Assertion";

	static final Duration TTL = Duration.ofSeconds(60);

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	/** Callers whose last assertion is kept. */
	static final int SIGNED_LIMIT = 4096;

	private final byte[] secret;

	/**
	 * Each caller's last assertion: it expires by the second, so all of a caller's
	 * requests within one second carry the same one, signed once.
	 */
	private final Map<Vouched, Signed> signed = new ConcurrentHashMap<>();

	private final Clock clock;

	ServiceAssertion(SecurityProperties properties, Clock clock) {
		this.secret = properties.serviceSecret().getBytes(StandardCharsets.UTF_8);
		this.clock = clock;
		if (this.secret.length > 0 && this.secret.length < 32) {
			throw new IllegalStateException("lodestar.gateway.security.service-secret must be at least 32 bytes");
		}
	}

	boolean enabled() {
		return this.secret.length > 0;
	}

	String sign(String workspace, String actor) {
		long expiresAt = this.clock.instant().plus(TTL).getEpochSecond();
		Vouched caller = new Vouched(workspace, actor);
		Signed last = this.signed.get(caller);
		if (last != null && last.expiresAt() == expiresAt) {
			return last.assertion();
		}
		String assertion = sign(this.secret, workspace, actor, expiresAt);
		if (this.signed.size() >= SIGNED_LIMIT) {
			this.signed.clear();
		}
		this.signed.put(caller, new Signed(expiresAt, assertion));
		return assertion;
	}

	static String sign(byte[] secret, String workspace, String actor, long expiresAt) {
		String signed = "v1." + B64.encodeToString(workspace.getBytes(StandardCharsets.UTF_8)) + "."
				+ B64.encodeToString(actor.getBytes(StandardCharsets.UTF_8)) + "." + expiresAt;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Vouched(String workspace, String actor) {
	}

	private record Signed(long expiresAt, String assertion) {
	}

}
