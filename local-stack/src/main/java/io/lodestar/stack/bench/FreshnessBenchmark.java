package io.lodestar.stack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.stack.LocalSecrets;
import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.Stack;
import io.lodestar.stack.StackConfig;

/**
 * The freshness benchmark of {@code docs/benchmarks.md} (pipeline issue): how long after
 * the collector answered 200 the profile API shows the event, at a sustained offered
 * rate. Starts PostgreSQL, Kafka, ingestion-service, etl-service (its streaming job),
 * profile-service and segment-service on free loopback ports; sends realistic traffic
 * ({@link SampleTraffic}: a few thousand returning users) in batches of 100 at a fixed
 * rate, open loop, after a ramp (30 s at 20 %, 30 s at 50 %) and a warm-up at the rate;
 * twice a second one batch carries a probe — a track event of a person never seen — and a
 * poller asks the profile API for that person ({@code GET
 * /v1/profiles?userId=…}) every {@code poll} milliseconds until it answers 200. Freshness
 * = that answer's time − the collector's 200; its resolution is the poll interval. The
 * same poll times the segments issue's incremental update: a saved segment of the people
 * who sent a probe, and when the profile document first lists the person in it
 * (segment-service's realtime path). Stops everything it started.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.FreshnessBenchmark [eventsPerSecond=5000] [seconds=120] [warmUpSeconds=60]
 * [pollMillis=100]}
 */
public final class FreshnessBenchmark {

	private static final int BATCH = 100;

	private static final int PROBES_PER_SECOND = 2;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration GIVE_UP = Duration.ofMinutes(3);

	/**
	 * The ramp before the warm-up: percentages of the rate, each for
	 * {@link #RAMP_SECONDS}.
	 */
	private static final int[] RAMP = { 20, 50 };

	private static final int RAMP_SECONDS = 30;

	private FreshnessBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rate = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 120;
		int warmUp = (args.length > 2) ? Integer.parseInt(args[2]) : 60;
		int pollMillis = (args.length > 3) ? Integer.parseInt(args[3]) : 100;
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		Path varDir = Files.createTempDirectory(Files.createDirectories(root.resolve("var")), "bench-freshness-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_INGESTION_PORT", "LODESTAR_ETL_PORT", "LODESTAR_PROFILE_PORT", "LODESTAR_SEGMENT_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = StackConfig.fromEnvironment(root, env)
			.onlyServices(List.of("ingestion-service", "etl-service", "profile-service", "segment-service"));
		Stack stack = new Stack(config, out);
		stack.start();
		try {
			String collector = config.service("ingestion-service").url();
			String profiles = config.service("profile-service").url();
			byte[] secret = new LocalSecrets(config.varDir()).serviceSecret().getBytes(StandardCharsets.UTF_8);
			String segmentId = probeSegment(config.service("segment-service").url(), secret);
			Map<String, Long> pids = new LinkedHashMap<>();
			for (String service : List.of("ingestion-service", "etl-service", "profile-service", "segment-service")) {
				pids.put(service, Measure.pid(config, service));
			}
			long postmaster = Long.parseLong(
					Files.readAllLines(config.varDir().resolve("postgres").resolve("pgdata").resolve("postmaster.pid"))
						.get(0)
						.trim());
			pids.put("postgres", postmaster);
			// a cold JVM is not given the full rate in its first second: a backlog made
			// while the JIT warms up and the users' profiles are created would be
			// measured as freshness for minutes
			for (int percent : RAMP) {
				out.printf("  … ramping up: %d s at %,d events/s%n", RAMP_SECONDS, rate * percent / 100);
				run(collector, profiles, segmentId, secret, rate * percent / 100, RAMP_SECONDS, pollMillis,
						"ramp" + percent);
			}
			out.printf("  … warming up: %d s at %,d events/s%n", warmUp, rate);
			Run warm = run(collector, profiles, segmentId, secret, rate, warmUp, pollMillis, "warm");
			out.printf("  ✓ warm-up: %,d of %,d probes seen, profile p95 %.2f s, segment p95 %.2f s%n",
					warm.profile().seen().get(), warm.probes(),
					warm.profile().millis().getValueAtPercentile(95) / 1000.0,
					warm.segment().millis().getValueAtPercentile(95) / 1000.0);
			String loadBefore = Measure.loadAverage();
			Map<String, Double> cpuBefore = cpu(pids);
			long started = System.nanoTime();
			Run measured = run(collector, profiles, segmentId, secret, rate, seconds, pollMillis, "run");
			double elapsed = (System.nanoTime() - started) / 1e9;
			Map<String, Double> cpuAfter = cpu(pids);
			out.println();
			out.printf(
					"offered %,d events/s for %d s (after %d s warm-up), probes polled every %d ms; load average "
							+ "before %s, after %s%n%n",
					rate, seconds, warmUp, pollMillis, loadBefore, Measure.loadAverage());
			out.println(
					"| collector 200 → | accepted events/s | failed requests | probes seen | p50 s | p95 s | p99 s |"
							+ " max s | CPU cores: collector / etl / profile / segment / PostgreSQL |");
			out.println("|---|---|---|---|---|---|---|---|---|");
			StringBuilder cores = new StringBuilder();
			for (String name : pids.keySet()) {
				cores.append((cores.length() > 0) ? " / " : "")
					.append(String.format("%.2f", (cpuAfter.get(name) - cpuBefore.get(name)) / elapsed));
			}
			for (Stage stage : List.of(measured.profile(), measured.segment())) {
				Histogram h = stage.millis();
				out.printf("| %s | %,.0f | %d | %,d of %,d | %.2f | %.2f | %.2f | %.2f | %s |%n", stage.name(),
						measured.accepted() / (double) seconds, measured.failures(), stage.seen().get(),
						measured.probes(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
						h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, cores);
				if (stage.seen().get() < measured.probes()) {
					out.printf("%n%d probes not seen %s %d s after sending stopped (counted at that age)%n",
							measured.probes() - stage.seen().get(), stage.name(), GIVE_UP.toSeconds());
				}
			}
		}
		finally {
			stack.stop();
		}
	}

	private static Map<String, Double> cpu(Map<String, Long> pids) {
		Map<String, Double> cpu = new LinkedHashMap<>();
		pids.forEach((name, pid) -> cpu.put(name, Measure.cpuSeconds(pid, "postgres".equals(name))));
		return cpu;
	}

	/**
	 * A probe: its person, when the collector accepted it, whether its profile was seen.
	 */
	private record Probe(String userId, long acceptedNanos, boolean profileSeen) {
	}

	/**
	 * What is timed from the collector's 200: the profile API showing the person, the
	 * membership.
	 */
	private record Stage(String name, Histogram millis, AtomicLong seen) {

		static Stage of(String name) {
			return new Stage(name, new Histogram(3), new AtomicLong());
		}

		void record(long ageNanos, boolean seen) {
			this.millis.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ageNanos)));
			if (seen) {
				this.seen.incrementAndGet();
			}
		}

	}

	/**
	 * @param accepted events the collector answered 200 for
	 * @param failures requests not answered 200
	 * @param probes probes accepted
	 * @param profile the profile API showing the probe's person (unseen ones at the age
	 * they were given up)
	 * @param segment the person in the probe segment, as the profile document says
	 */
	private record Run(long accepted, long failures, long probes, Stage profile, Stage segment) {
	}

	/**
	 * A saved segment of the people who sent a probe: realtime membership is timed too.
	 */
	private static String probeSegment(String segments, byte[] secret) throws Exception {
		HttpResponse<String> created = client().send(HttpRequest.newBuilder(URI.create(segments + "/v1/segments"))
			.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
			.header("X-Lodestar-Assertion", Measure.assertion(secret, 600))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"name":"Freshness probes","description":"people who sent a probe (FreshnessBenchmark)",
					 "rule":{"type":"event","event":"Freshness Probe"}}"""))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (created.statusCode() != 201) {
			throw new IllegalStateException(
					"the probe segment was refused: " + created.statusCode() + " " + created.body());
		}
		return JSON.readTree(created.body()).get("segmentId").asString();
	}

	private static Run run(String collector, String profiles, String segmentId, byte[] secret, int rate, int seconds,
			int pollMillis, String tag) throws Exception {
		int requestsPerSecond = Math.max(1, rate / BATCH);
		long intervalNanos = 1_000_000_000L / requestsPerSecond;
		int probeEvery = Math.max(1, requestsPerSecond / PROBES_PER_SECOND);
		List<byte[]> bodies = new ArrayList<>();
		SampleTraffic traffic = new SampleTraffic(tag.hashCode());
		for (int i = 0; i < 64; i++) {
			bodies.add(body(traffic.batch(BATCH)));
		}
		ExecutorService senders = Executors.newFixedThreadPool(32);
		ThreadLocal<CollectorBenchmark.Client> clients = ThreadLocal
			.withInitial(() -> new CollectorBenchmark.Client(collector));
		Queue<Probe> pending = new ConcurrentLinkedQueue<>();
		Stage profile = Stage.of("profile API shows the person");
		Stage segment = Stage.of("person in the segment");
		AtomicLong accepted = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		AtomicLong probes = new AtomicLong();
		AtomicBoolean sending = new AtomicBoolean(true);
		Thread poller = new Thread(
				() -> poll(profiles, segmentId, secret, pending, pollMillis, profile, segment, sending),
				"freshness-poller");
		poller.start();
		long started = System.nanoTime();
		long total = (long) requestsPerSecond * seconds;
		List<Future<?>> sent = new ArrayList<>();
		for (long i = 0; i < total; i++) {
			long due = started + i * intervalNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			String probe = (i % probeEvery == 0) ? "freshness-" + tag + "-" + i : null;
			byte[] body = (probe != null) ? probeBody(traffic, probe) : bodies.get((int) (i % bodies.size()));
			sent.add(senders.submit(() -> {
				boolean ok = clients.get().post(body);
				if (ok) {
					accepted.addAndGet(BATCH);
					if (probe != null) {
						probes.incrementAndGet();
						pending.add(new Probe(probe, System.nanoTime(), false));
					}
				}
				else {
					failures.incrementAndGet();
				}
			}));
		}
		for (Future<?> future : sent) {
			future.get();
		}
		senders.shutdown();
		sending.set(false);
		poller.join();
		return new Run(accepted.get(), failures.get(), probes.get(), profile, segment);
	}

	/**
	 * Polls the pending probes until each is in the segment, and after sending stopped
	 * until all are or {@link #GIVE_UP} passed.
	 */
	private static void poll(String profiles, String segmentId, byte[] secret, Queue<Probe> pending, int pollMillis,
			Stage profile, Stage segment, AtomicBoolean sending) {
		HttpClient client = client();
		String assertion = Measure.assertion(secret, 3600);
		long stoppedAt = 0;
		try {
			while (true) {
				if (!sending.get() && stoppedAt == 0) {
					stoppedAt = System.nanoTime();
				}
				boolean givingUp = stoppedAt != 0 && System.nanoTime() - stoppedAt > GIVE_UP.toNanos();
				List<Probe> round = new ArrayList<>();
				Probe next;
				while ((next = pending.poll()) != null) {
					round.add(next);
				}
				if (round.isEmpty() && stoppedAt != 0) {
					return;
				}
				for (Probe probe : round) {
					String document = document(client, profiles, assertion, probe.userId());
					long age = System.nanoTime() - probe.acceptedNanos();
					boolean profileSeen = probe.profileSeen() || document != null;
					if (!probe.profileSeen() && (document != null || givingUp)) {
						profile.record(age, document != null);
					}
					boolean member = document != null && document.contains(segmentId);
					if (member || givingUp) {
						segment.record(age, member);
					}
					else {
						pending.add(new Probe(probe.userId(), probe.acceptedNanos(), profileSeen));
					}
				}
				if (givingUp) {
					return;
				}
				Thread.sleep(pollMillis);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The person's profile document with its segments, null while there is none. */
	private static String document(HttpClient client, String profiles, String assertion, String userId) {
		try {
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create(profiles + "/v1/profiles?userId=" + userId + "&fields=segments"))
						.timeout(Duration.ofSeconds(10))
						.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
						.header("X-Lodestar-Assertion", assertion)
						.build(),
					HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static byte[] probeBody(SampleTraffic traffic, String userId) {
		List<Map<String, Object>> batch = traffic.batch(BATCH - 1);
		Map<String, Object> probe = new LinkedHashMap<>();
		probe.put("type", "track");
		probe.put("event", "Freshness Probe");
		probe.put("userId", userId);
		probe.put("messageId", userId);
		probe.put("timestamp", Instant.now().toString());
		batch.add(probe);
		return body(batch);
	}

	private static byte[] body(List<Map<String, Object>> batch) {
		return JSON.writeValueAsBytes(Map.of("batch", batch, "sentAt", Instant.now().toString()));
	}

	private static HttpClient client() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

}
