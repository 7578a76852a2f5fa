package io.lodestar.ingestion.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable hashes for natural keys and message ids.
 */
public final class Hashes {

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	});

	private static final HexFormat HEX = HexFormat.of();

	private Hashes() {
	}

	/**
	 * @param text a text
	 * @return its SHA-256, 64 hex digits
	 */
	public static String sha256(String text) {
		// one digest per thread: getInstance per row costs more than the hash itself
		return HEX.formatHex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
