package io.lodestar.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Checks the gateway's word on a request (header {@value #HEADER}): signed with the
 * shared secret, not expired, and for the workspace the request names. Format (the
 * gateway's {@code ServiceAssertion}): {@code v1.<b64url ws>.<b64url actor>.<expiry epoch
 * s>.<b64url HMAC-SHA256 of everything before the last dot>}.
 */
public final class ServiceAssertionVerifier {

	/** The header the gateway sends. */
	public static final String HEADER = "X-Lodestar-Assertion";

	/** Verified assertions kept before they are checked again from scratch. */
	static final int VERIFIED_LIMIT = 4096;

	private final byte[] secret;

	/**
	 * Assertions whose signature checked out, with what they say: the gateway signs one
	 * per workspace, actor and second, so most requests bring one already verified. Only
	 * good signatures are kept; expiry and workspace are checked on every request.
	 */
	private final Map<String, Verified> verified = new ConcurrentHashMap<>();

	private final ThreadLocal<Mac> macs;

	public ServiceAssertionVerifier(String secret) {
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		if (this.secret.length < 32) {
			throw new IllegalStateException("lodestar.web.service-secret must be at least 32 bytes");
		}
		this.macs = ThreadLocal.withInitial(() -> mac(this.secret));
	}

	/**
	 * @param assertion the header's value, may be null
	 * @param workspace the workspace the request names
	 * @param now the time
	 * @return the actor the gateway authenticated
	 * @throws ErrorResponseException 401 when the assertion is missing, forged, expired
	 * or for another workspace
	 */
	public String verify(String assertion, String workspace, Instant now) {
		if (assertion == null || assertion.isBlank()) {
			throw unauthenticated("this service answers requests that came through the gateway only");
		}
		Verified word = this.verified.get(assertion);
		if (word == null) {
			word = check(assertion);
			if (this.verified.size() >= VERIFIED_LIMIT) {
				this.verified.clear();
			}
			this.verified.put(assertion, word);
		}
		if (now.getEpochSecond() >= word.expiresAt()) {
			throw unauthenticated("the gateway's assertion has expired");
		}
		if (!word.workspace().equals(workspace)) {
			throw unauthenticated("the gateway did not vouch for this workspace");
		}
		return word.actor();
	}

	/** The signature checked, the rest read. */
	private Verified check(String assertion) {
		int signatureAt = assertion.lastIndexOf('.');
		String[] parts = assertion.split("\\.", -1);
		if (parts.length != 5 || !"v1".equals(parts[0])) {
			throw unauthenticated("the gateway's assertion is malformed");
		}
		byte[] expected = this.macs.get().doFinal(assertion.substring(0, signatureAt).getBytes(StandardCharsets.UTF_8));
		byte[] presented;
		try {
			presented = Base64.getUrlDecoder().decode(parts[4]);
		}
		catch (IllegalArgumentException ex) {
			throw unauthenticated("the gateway's assertion is malformed");
		}
		if (!MessageDigest.isEqual(expected, presented)) {
			throw unauthenticated("the gateway's assertion is not signed with the shared secret");
		}
		try {
			return new Verified(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8),
					new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8),
					Long.parseLong(parts[3]));
		}
		catch (IllegalArgumentException ex) {
			throw unauthenticated("the gateway's assertion is malformed");
		}
	}

	static byte[] hmac(byte[] secret, String signed) {
		return mac(secret).doFinal(signed.getBytes(StandardCharsets.UTF_8));
	}

	private static Mac mac(byte[] secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What a verified assertion says. */
	private record Verified(String workspace, String actor, long expiresAt) {
	}

	private static ErrorResponseException unauthenticated(String detail) {
		return new ErrorResponseException(HttpStatus.UNAUTHORIZED,
				Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated-caller", "Unauthenticated caller", detail), null);
	}

}
