package io.lodestar.stack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.lodestar.stack.GatewayWord;
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
		return GatewayWord.assertion(secret, StackConfig.DEV_WORKSPACE, "bench", validSeconds);
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
