package io.lodestar.stack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.lodestar.stack.StackConfig;

/**
 * What the benchmarks share: the gateway's signed word for calling a service directly,
 * and a process's resident memory.
 */
final class Measure {

	private Measure() {
	}

	/**
	 * The gateway's word for the demo workspace, as its {@code ServiceAssertion} signs
	 * it.
	 * @param secret the service secret
	 * @param validSeconds how long it holds (longer than a measurement)
	 */
	static String assertion(byte[] secret, int validSeconds) {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String signed = "v1." + b64.encodeToString(StackConfig.DEV_WORKSPACE.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString("bench".getBytes(StandardCharsets.UTF_8)) + "."
				+ (System.currentTimeMillis() / 1000 + validSeconds);
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A process's resident memory in MiB (0 where /proc is not there). */
	static long rssMiB(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: report 0
		}
		return 0;
	}

}
