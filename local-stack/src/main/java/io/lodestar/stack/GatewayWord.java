package io.lodestar.stack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's signed word for a workspace ({@code X-Lodestar-Assertion}, ADR 0017), as
 * the gateway's {@code ServiceAssertion} signs it: what benchmarks and tests send when
 * they call a service's port directly.
 */
public final class GatewayWord {

	/** The header it travels in. */
	public static final String HEADER = "X-Lodestar-Assertion";

	private GatewayWord() {
	}

	/**
	 * @param secret the service secret ({@link LocalSecrets#serviceSecret()})
	 * @param workspace the workspace vouched for
	 * @param actor who acts
	 * @param validSeconds how long it holds
	 * @return the assertion
	 */
	public static String assertion(byte[] secret, String workspace, String actor, long validSeconds) {
		return assertionUntil(secret, workspace, actor, System.currentTimeMillis() / 1000 + validSeconds);
	}

	/**
	 * @param secret the service secret
	 * @param workspace the workspace vouched for
	 * @param actor who acts
	 * @param expiresAt its expiry, epoch seconds (in the past for an expired one)
	 * @return the assertion
	 */
	public static String assertionUntil(byte[] secret, String workspace, String actor, long expiresAt) {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String signed = "v1." + b64.encodeToString(workspace.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString(actor.getBytes(StandardCharsets.UTF_8)) + "." + expiresAt;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
