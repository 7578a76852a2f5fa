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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.Stack;
import io.lodestar.stack.StackConfig;

/**
 * The collector benchmark of {@code docs/benchmarks.md}: starts PostgreSQL, Kafka and
 * ingestion-service on free loopback ports, then measures in one run (1) a raw Kafka
 * producer sending the same records (acks=all, idempotent), (2) the collector's maximum
 * throughput with batches of 100 events, (3) its request latency at a fixed offered rate.
 * Stops everything it started.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.CollectorBenchmark [seconds=30] [connections=8] [fixedRate=20000]}
 */
public final class CollectorBenchmark {

	private static final int BATCH = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CollectorBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 30;
		int connections = (args.length > 1) ? Integer.parseInt(args[1]) : 8;
		int fixedRate = (args.length > 2) ? Integer.parseInt(args[2]) : 20_000;
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		// its own state and logs, kept for inspection: var/bench-*
		Path varDir = Files.createTempDirectory(Files.createDirectories(root.resolve("var")), "bench-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_INGESTION_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = StackConfig.fromEnvironment(root, env).onlyServices(List.of("ingestion-service"));
		Stack stack = new Stack(config, out);
		stack.start();
		try {
			String collector = config.service("ingestion-service").url();
			long pid = Long.parseLong(Files.readString(config.runDir().resolve("ingestion-service.pid")).split(" ")[0]);
			warmUp(collector, connections);
			double raw = rawProducer(config.kafkaBootstrap(), seconds);
			Result max = closedLoop(collector, connections, seconds, pid);
			Result fixed = openLoop(collector, fixedRate, seconds, pid);
			out.println();
			out.println(
					"| measurement | events/s | p50 ms | p99 ms | p99.9 ms | collector CPU (cores) | collector RSS MiB |");
			out.println("|---|---|---|---|---|---|---|");
			out.printf("| raw Kafka producer, same records, acks=all | %,.0f | | | | | |%n", raw);
			out.println(max.row("collector max, " + connections + " connections, batches of " + BATCH));
			out.println(fixed.row("collector at a fixed " + fixedRate + " events/s offered"));
			out.printf("%ncollector / raw producer = %.2f%n", max.eventsPerSecond / raw);
		}
		finally {
			stack.stop();
		}
	}

	private static void warmUp(String collector, int connections) throws Exception {
		closedLoop(collector, connections, 10, -1);
	}

	/**
	 * The same records the collector would write, straight to Kafka with the same
	 * settings.
	 */
	private static double rawProducer(String bootstrap, int seconds) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		SampleTraffic traffic = new SampleTraffic(7);
		AtomicLong acked = new AtomicLong();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			List<byte[]> records = new ArrayList<>();
			for (Map<String, Object> message : traffic.batch(10_000)) {
				records.add(JSON.writeValueAsBytes(message));
			}
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			long started = System.nanoTime();
			for (int i = 0; System.nanoTime() < end; i++) {
				producer.send(new ProducerRecord<>("bench.raw", "k" + (i % 5000), records.get(i % records.size())),
						(metadata, error) -> {
							if (error == null) {
								acked.incrementAndGet();
							}
						});
			}
			producer.flush();
			return acked.get() / ((System.nanoTime() - started) / 1e9);
		}
	}

	private static Result closedLoop(String collector, int connections, int seconds, long pid) throws Exception {
		Recorder latency = new Recorder(3);
		AtomicLong events = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		Sample before = Sample.of(pid);
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		ExecutorService pool = Executors.newFixedThreadPool(connections);
		List<Future<?>> workers = new ArrayList<>();
		long started = System.nanoTime();
		for (int c = 0; c < connections; c++) {
			int seed = c;
			workers.add(pool.submit(() -> {
				Client client = new Client(collector);
				List<byte[]> bodies = bodies(new SampleTraffic(seed), 32);
				for (int n = 0; System.nanoTime() < end; n++) {
					byte[] body = bodies.get(n % bodies.size());
					long sent = System.nanoTime();
					boolean ok = client.post(body);
					latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
					if (ok) {
						events.addAndGet(BATCH);
					}
					else {
						failures.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		double elapsed = (System.nanoTime() - started) / 1e9;
		return new Result(events.get() / elapsed, latency.getIntervalHistogram(), failures.get(),
				Sample.of(pid).cpuCoresSince(before, elapsed), Measure.rssMiB(pid));
	}

	/** Open loop: requests leave on schedule whether or not earlier ones finished. */
	private static Result openLoop(String collector, int eventsPerSecond, int seconds, long pid) throws Exception {
		Recorder latency = new Recorder(3);
		AtomicLong events = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		int requestsPerSecond = Math.max(1, eventsPerSecond / BATCH);
		long intervalNanos = 1_000_000_000L / requestsPerSecond;
		ExecutorService senders = Executors.newFixedThreadPool(64);
		ThreadLocal<Client> clients = ThreadLocal.withInitial(() -> new Client(collector));
		List<byte[]> bodies = bodies(new SampleTraffic(99), 64);
		Sample before = Sample.of(pid);
		long started = System.nanoTime();
		long total = (long) requestsPerSecond * seconds;
		List<Future<?>> sent = new ArrayList<>();
		for (long i = 0; i < total; i++) {
			long due = started + i * intervalNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			byte[] body = bodies.get((int) (i % bodies.size()));
			sent.add(senders.submit(() -> {
				boolean ok = clients.get().post(body);
				// latency from when the request was due, so queueing delay counts (no
				// coordinated omission)
				latency.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
				if (ok) {
					events.addAndGet(BATCH);
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
		double elapsed = (System.nanoTime() - started) / 1e9;
		return new Result(events.get() / elapsed, latency.getIntervalHistogram(), failures.get(),
				Sample.of(pid).cpuCoresSince(before, elapsed), Measure.rssMiB(pid));
	}

	/**
	 * Request bodies built once: the generator's CPU goes to sending, as a real fleet of
	 * SDKs' would.
	 */
	private static List<byte[]> bodies(SampleTraffic traffic, int count) {
		List<byte[]> bodies = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			bodies
				.add(JSON.writeValueAsBytes(Map.of("batch", traffic.batch(BATCH), "sentAt", Instant.now().toString())));
		}
		return bodies;
	}

	/** A keep-alive client posting batches to the collector with the demo write key. */
	static final class Client {

		private final HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private final URI uri;

		private final String authorization = "Basic " + Base64.getEncoder()
			.encodeToString((StackConfig.DEV_WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));

		Client(String collector) {
			this.uri = URI.create(collector + "/v1/batch");
		}

		boolean post(byte[] body) {
			try {
				HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(this.uri)
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.header("Authorization", this.authorization)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.discarding());
				return response.statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

	}

	private record Result(double eventsPerSecond, org.HdrHistogram.Histogram latencyMicros, long failures,
			double cpuCores, long rssMiB) {

		String row(String name) {
			return String.format("| %s%s | %,.0f | %.1f | %.1f | %.1f | %.2f | %d |", name,
					(this.failures > 0) ? " (" + this.failures + " failed requests)" : "", this.eventsPerSecond,
					this.latencyMicros.getValueAtPercentile(50) / 1000.0,
					this.latencyMicros.getValueAtPercentile(99) / 1000.0,
					this.latencyMicros.getValueAtPercentile(99.9) / 1000.0, this.cpuCores, this.rssMiB);
		}

	}

	/** CPU time and resident memory of a process, from the JDK and /proc. */
	private record Sample(long cpuNanos) {

		static Sample of(long pid) {
			return new Sample(ProcessHandle.of(pid)
				.flatMap((handle) -> handle.info().totalCpuDuration())
				.map(Duration::toNanos)
				.orElse(0L));
		}

		double cpuCoresSince(Sample before, double elapsedSeconds) {
			return (this.cpuNanos - before.cpuNanos) / 1e9 / elapsedSeconds;
		}

	}

}
