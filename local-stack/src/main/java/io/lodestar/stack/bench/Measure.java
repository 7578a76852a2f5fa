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

	/**
	 * @param config the stack
	 * @param name a service's name
	 * @return the process id the launcher recorded for it
	 */
	static long pid(StackConfig config, String name) throws IOException {
		return Long.parseLong(Files.readString(config.runDir().resolve(name + ".pid")).split(" ")[0].trim());
	}

	/** The load average line of /proc ("unknown" elsewhere). */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/**
	 * CPU time of a process and, when asked, of its descendants (PostgreSQL's backends).
	 * @param pid the process
	 * @param descendants whether its descendants count
	 * @return seconds of CPU so far (0 when the process is gone)
	 */
	static double cpuSeconds(long pid, boolean descendants) {
		java.util.Optional<ProcessHandle> handle = ProcessHandle.of(pid);
		if (handle.isEmpty()) {
			return 0;
		}
		long nanos = cpuNanos(handle.get());
		if (descendants) {
			nanos += handle.get().descendants().mapToLong(Measure::cpuNanos).sum();
		}
		return nanos / 1e9;
	}

	private static long cpuNanos(ProcessHandle handle) {
		return handle.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
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
