package io.lodestar.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

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

	private final byte[] secret;

	public ServiceAssertionVerifier(String secret) {
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
		if (this.secret.length < 32) {
			throw new IllegalStateException("lodestar.web.service-secret must be at least 32 bytes");
		}
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
		int signatureAt = assertion.lastIndexOf('.');
		String[] parts = assertion.split("\\.", -1);
		if (parts.length != 5 || !"v1".equals(parts[0])) {
			throw unauthenticated("the gateway's assertion is malformed");
		}
		String signed = assertion.substring(0, signatureAt);
		byte[] expected = hmac(signed);
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
		long expiresAt;
		String assertedWorkspace;
		String actor;
		try {
			expiresAt = Long.parseLong(parts[3]);
			assertedWorkspace = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
			actor = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw unauthenticated("the gateway's assertion is malformed");
		}
		if (now.getEpochSecond() >= expiresAt) {
			throw unauthenticated("the gateway's assertion has expired");
		}
		if (!assertedWorkspace.equals(workspace)) {
			throw unauthenticated("the gateway did not vouch for this workspace");
		}
		return actor;
	}

	private byte[] hmac(String signed) {
		return hmac(this.secret, signed);
	}

	static byte[] hmac(byte[] secret, String signed) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ErrorResponseException unauthenticated(String detail) {
		return new ErrorResponseException(HttpStatus.UNAUTHORIZED,
				Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated-caller", "Unauthenticated caller", detail), null);
	}

}
