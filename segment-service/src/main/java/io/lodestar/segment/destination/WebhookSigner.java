package io.lodestar.segment.destination;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a receiver checks, header {@value #HEADER}:
 * {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>" under the destination's signing secret>}. Receivers
 * recompute it over the raw body and refuse old timestamps, which stops replays.
 */
final class WebhookSigner {

	static final String HEADER = "X-Lodestar-Signature";

	private WebhookSigner() {
	}

	static String sign(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
