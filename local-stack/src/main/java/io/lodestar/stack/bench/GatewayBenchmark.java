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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.LocalSecrets;
import io.lodestar.stack.Stack;
import io.lodestar.stack.StackConfig;

/**
 * The gateway-overhead benchmark of {@code docs/benchmarks.md}: starts PostgreSQL, Kafka,
 * ingestion-, profile-, etl-service and the gateway on free loopback ports, creates
 * profiles through the real pipeline (identify events to the collector), then looks up
 * random known profiles by userId in alternating rounds — straight at profile-service
 * (with the gateway's signed assertion, as the gateway would send) and through the
 * gateway with API keys — and reports throughput, latency and the ratio. Stops everything
 * it started. The pipeline (etl- and ingestion-service) is stopped once the profiles
 * exist, so that both sides of the comparison share the machine with the same processes.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.GatewayBenchmark [seconds=20] [connections=16] [profiles=20000]}
 */
public final class GatewayBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private GatewayBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		int connections = (args.length > 1) ? Integer.parseInt(args[1]) : 16;
		int profiles = (args.length > 2) ? Integer.parseInt(args[2]) : 20_000;
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		Path varDir = Files.createTempDirectory(Files.createDirectories(root.resolve("var")), "bench-gateway-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_INGESTION_PORT", "LODESTAR_PROFILE_PORT", "LODESTAR_ETL_PORT", "LODESTAR_GATEWAY_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = StackConfig.fromEnvironment(root, env)
			.onlyServices(List.of("ingestion-service", "profile-service", "etl-service", "api-gateway"));
		Stack stack = new Stack(config, out);
		stack.start();
		try {
			String gateway = config.gatewayUrl();
			String profileService = config.service("profile-service").url();
			LocalSecrets secrets = new LocalSecrets(config.varDir());
			seed(gateway, profileService, secrets, profiles, out);
			// the read path only: the pipeline's processes would take CPU from both sides
			// unevenly
			stack.stopProcess("etl-service");
			stack.stopProcess("ingestion-service");
			List<String> keys = apiKeys(gateway, secrets, connections);
			byte[] serviceSecret = secrets.serviceSecret().getBytes(StandardCharsets.UTF_8);
			String assertion = Measure.assertion(serviceSecret, 24 * 3600);
			Lookup direct = new Lookup(profileService, (connection) -> directHeaders(assertion),
					(user) -> "/v1/profiles?userId=bench-" + user);
			Lookup throughGateway = new Lookup(gateway, (connection) -> "X-Api-Key: " + keys.get(connection) + "\r\n",
					(user) -> "/v1/profiles?userId=bench-" + user);
			Map<String, Long> processes = processes(config);
			long postmaster = postmaster(config);
			// both JVMs reach steady state first: the gateway's Netty and Reactor paths
			// take
			// longer to compile than the service's (measured: its throughput still rose
			// after 60 s)
			out.println("  … warming up");
			for (int i = 0; i < 3; i++) {
				closedLoop(direct, connections, 20, profiles, processes, postmaster);
				closedLoop(throughGateway, connections, 20, profiles, processes, postmaster);
			}
			Map<String, Result> results = new LinkedHashMap<>();
			for (int round = 1; round <= 3; round++) {
				results.put("direct to profile-service, round " + round,
						closedLoop(direct, connections, seconds, profiles, processes, postmaster));
				results.put("through the gateway (API keys), round " + round,
						closedLoop(throughGateway, connections, seconds, profiles, processes, postmaster));
			}
			out.println();
			out.println("| measurement | lookups/s | p50 ms | p99 ms | failed | CPU µs per lookup |");
			out.println("|---|---|---|---|---|---|");
			double directSum = 0;
			double gatewaySum = 0;
			for (Map.Entry<String, Result> result : results.entrySet()) {
				out.println(result.getValue().row(result.getKey()));
				if (result.getKey().startsWith("direct")) {
					directSum += result.getValue().perSecond();
				}
				else {
					gatewaySum += result.getValue().perSecond();
				}
			}
			out.printf("%ngateway / direct = %.2f (%d connections, %d profiles, %d s per round)%n",
					gatewaySum / directSum, connections, profiles, seconds);
		}
		finally {
			stack.stop();
		}
	}

	/** The gateway's word for the demo workspace, as request headers of a direct call. */
	static String directHeaders(String assertion) {
		return "X-Lodestar-Workspace: " + StackConfig.DEV_WORKSPACE + "\r\nX-Lodestar-Assertion: " + assertion + "\r\n";
	}

	/** The gateway and profile-service, whose CPU the lookup rounds measure. */
	static Map<String, Long> processes(StackConfig config) throws IOException {
		Map<String, Long> processes = new LinkedHashMap<>();
		processes.put("gateway", Measure.pid(config, "api-gateway"));
		processes.put("profile-service", Measure.pid(config, "profile-service"));
		return processes;
	}

	/** PostgreSQL's postmaster, from its pid file. */
	static long postmaster(StackConfig config) throws IOException {
		return Long.parseLong(
				Files.readAllLines(config.varDir().resolve("postgres").resolve("pgdata").resolve("postmaster.pid"))
					.get(0)
					.trim());
	}

	/** Profiles through the real pipeline: identify events in batches of 100. */
	private static void seed(String gateway, String profileService, LocalSecrets secrets, int profiles, PrintStream out)
			throws Exception {
		out.printf("  … creating %,d profiles through the collector and the pipeline%n", profiles);
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((StackConfig.DEV_WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
		for (int from = 0; from < profiles; from += 100) {
			List<Map<String, Object>> batch = new ArrayList<>();
			for (int user = from; user < Math.min(profiles, from + 100); user++) {
				batch.add(Map.of("type", "identify", "userId", "bench-" + user, "traits",
						Map.of("plan", (user % 3 == 0) ? "pro" : "free", "country", "Portugal")));
			}
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/batch"))
				.header("Content-Type", "application/json")
				.header("Authorization", basic)
				.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("batch", batch))))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("the collector refused a batch: " + response.body());
			}
		}
		// every profile exists before the pipeline is stopped: each one looked up until
		// found
		byte[] secret = secrets.serviceSecret().getBytes(StandardCharsets.UTF_8);
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<?>> stripes = new ArrayList<>();
		for (int stripe = 0; stripe < 16; stripe++) {
			int first = stripe;
			stripes.add(pool.submit(() -> {
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				for (int user = first; user < profiles; user += 16) {
					while (http
						.send(HttpRequest.newBuilder(URI.create(profileService + "/v1/profiles?userId=bench-" + user))
							.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
							.header("X-Lodestar-Assertion", Measure.assertion(secret, 60))
							.GET()
							.build(), HttpResponse.BodyHandlers.discarding())
						.statusCode() != 200) {
						if (System.nanoTime() > deadline) {
							throw new IllegalStateException("the pipeline did not create profile bench-" + user);
						}
						Thread.sleep(200);
					}
				}
				return null;
			}));
		}
		for (Future<?> stripe : stripes) {
			stripe.get();
		}
		pool.shutdown();
	}

	/** The administrator's access token. */
	static String adminToken(String gateway, LocalSecrets secrets) throws Exception {
		HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/auth/login"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + LocalSecrets.ADMIN_USERNAME
					+ "\",\"password\":\"" + secrets.adminPassword() + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(login.body()).get("accessToken").asString();
	}

	/** One API key per connection, as many clients would have. */
	static List<String> apiKeys(String gateway, LocalSecrets secrets, int count) throws Exception {
		String token = adminToken(gateway, secrets);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/api-keys"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"name\":\"bench-" + i + "\",\"permissions\":[\"profiles:read\"]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			keys.add(JSON.readTree(created.body()).get("secret").asString());
		}
		return keys;
	}

	/**
	 * Lookups of random profiles for a time, each connection one thread asking again as
	 * soon as it is answered.
	 * @param lookup what each connection asks
	 * @param connections connections (threads)
	 * @param seconds how long
	 * @param profiles profiles to choose from (0 … profiles - 1)
	 * @param processes the processes whose CPU is measured meanwhile, by name
	 * @param postmaster PostgreSQL's postmaster (its backends are measured), or -1
	 */
	static Result closedLoop(Lookup lookup, int connections, int seconds, int profiles, Map<String, Long> processes,
			long postmaster) throws Exception {
		Recorder latency = new Recorder(3);
		AtomicLong done = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(connections);
		List<Future<?>> workers = new ArrayList<>();
		ProcessCpu before = ProcessCpu.of(processes, postmaster);
		long started = System.nanoTime();
		long end = started + TimeUnit.SECONDS.toNanos(seconds);
		for (int c = 0; c < connections; c++) {
			int connection = c;
			workers.add(pool.submit(() -> {
				try (HttpConnection http = new HttpConnection(lookup.baseUrl(), lookup.headers().apply(connection))) {
					SplittableRandom random = new SplittableRandom(connection);
					while (System.nanoTime() < end) {
						String path = lookup.path().apply(random.nextInt(profiles));
						long sent = System.nanoTime();
						HttpConnection.Answer answer = http.get(path);
						latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
						if (answer != null && answer.status() == 200) {
							done.incrementAndGet();
						}
						else {
							failures.incrementAndGet();
						}
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
		return new Result(done.get() / elapsed, latency.getIntervalHistogram(), failures.get(),
				ProcessCpu.of(processes, postmaster).coresSince(before, elapsed));
	}

	/**
	 * What a connection of the closed loop asks.
	 *
	 * @param baseUrl where
	 * @param headers the request headers of connection {@code n} ({@code Name: value\r\n}
	 * each)
	 * @param path the path of the lookup of profile {@code n}
	 */
	record Lookup(String baseUrl, IntFunction<String> headers, IntFunction<String> path) {
	}

	/**
	 * @param perSecond successful lookups per second
	 * @param latencyMicros latency of every lookup
	 * @param failures lookups that failed
	 * @param cores CPU cores in use meanwhile, by process
	 */
	record Result(double perSecond, Histogram latencyMicros, long failures, Map<String, Double> cores) {

		String row(String name) {
			StringBuilder cpu = new StringBuilder();
			this.cores.forEach((process, used) -> cpu.append((cpu.length() > 0) ? ", " : "")
				.append(process)
				.append(' ')
				.append(Math.round(used * 1e6 / Math.max(1, this.perSecond))));
			return String.format("| %s | %,.0f | %.1f | %.1f | %d | %s |", name, this.perSecond,
					this.latencyMicros.getValueAtPercentile(50) / 1000.0,
					this.latencyMicros.getValueAtPercentile(99) / 1000.0, this.failures, cpu);
		}

	}

}
