package io.lodestar.stack.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time so far of named processes, of PostgreSQL (the postmaster and every backend,
 * which come and go) and of this JVM (the load generator): two readings give each one's
 * cores in use between them.
 *
 * @param processes CPU nanoseconds by name
 * @param postgres CPU nanoseconds by PostgreSQL process id
 */
record ProcessCpu(Map<String, Long> processes, Map<Long, Long> postgres) {

	/** The name of this JVM's share. */
	static final String GENERATOR = "generator";

	/** The name of PostgreSQL's share. */
	static final String POSTGRES = "postgres";

	/**
	 * @param pids the processes to read, by name
	 * @param postmaster PostgreSQL's postmaster, or -1 for none
	 */
	static ProcessCpu of(Map<String, Long> pids, long postmaster) {
		Map<String, Long> processes = new LinkedHashMap<>();
		pids.forEach((name, pid) -> processes.put(name, ProcessHandle.of(pid).map(ProcessCpu::nanos).orElse(0L)));
		processes.put(GENERATOR, nanos(ProcessHandle.current()));
		Map<Long, Long> postgres = new HashMap<>();
		ProcessHandle.of(postmaster).ifPresent((handle) -> {
			postgres.put(handle.pid(), nanos(handle));
			handle.descendants().forEach((child) -> postgres.put(child.pid(), nanos(child)));
		});
		return new ProcessCpu(processes, postgres);
	}

	/**
	 * @param before the earlier reading
	 * @param seconds the wall time between the two
	 * @return cores in use by name, in the order asked for, then {@link #GENERATOR} and
	 * {@link #POSTGRES} (when a postmaster was given)
	 */
	Map<String, Double> coresSince(ProcessCpu before, double seconds) {
		Map<String, Double> cores = new LinkedHashMap<>();
		this.processes.forEach(
				(name, nanos) -> cores.put(name, (nanos - before.processes.getOrDefault(name, 0L)) / 1e9 / seconds));
		if (!this.postgres.isEmpty()) {
			long postgres = 0;
			for (Map.Entry<Long, Long> process : this.postgres.entrySet()) {
				postgres += process.getValue() - before.postgres.getOrDefault(process.getKey(), 0L);
			}
			cores.put(POSTGRES, postgres / 1e9 / seconds);
		}
		return cores;
	}

	private static long nanos(ProcessHandle handle) {
		return handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
	}

}
