package io.lodestar.stack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.LocalSecrets;
import io.lodestar.stack.Stack;
import io.lodestar.stack.StackConfig;

/**
 * The serving benchmark of recommender-service: starts PostgreSQL, Kafka, profile-service
 * (it migrates the profile tables) and recommender-service on free loopback ports, writes
 * a model the size of the UCI Online Retail set into the contract tables as the training
 * job would (4,300 customers, 3,700 items, rank 32, from a seeded generator; each
 * customer with a purchase history, a fifth of them with purchases since training),
 * promotes it, then offers top-10 requests for random known profiles at a fixed rate
 * (open loop: requests leave on schedule whether or not earlier ones finished, latency
 * counted from when each was due) — by profile id, then by userId — and a closed loop for
 * the ceiling. Reports p50/p95/p99, throughput and the CPU of the service, of PostgreSQL
 * and of this generator (a minimal HTTP/1.1 client on kept-alive sockets, to leave the
 * cores to the service), and the service's own latency histogram over each measurement.
 * profile-service is stopped before measuring (it is not on the path). Stops everything
 * it started.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.RecommenderBenchmark [seconds=60] [rate=1000] [customers=4300]
 * [items=3700] [rank=32]} ({@code -Dbench.warmup=120}: seconds of warm-up at the offered
 * rate; {@code -Dbench.connections=16}: the closed loop's connections)
 */
public final class RecommenderBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static final int CATEGORIES = 24;

	private RecommenderBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 60;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 1000;
		int customers = (args.length > 2) ? Integer.parseInt(args[2]) : 4300;
		int items = (args.length > 3) ? Integer.parseInt(args[3]) : 3700;
		int rank = (args.length > 4) ? Integer.parseInt(args[4]) : 32;
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		Path varDir = Files.createTempDirectory(Files.createDirectories(root.resolve("var")), "bench-recommender-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_PROFILE_PORT", "LODESTAR_RECOMMENDER_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = StackConfig.fromEnvironment(root, env)
			.onlyServices(List.of("profile-service", "recommender-service"));
		Stack stack = new Stack(config, out);
		stack.start();
		try {
			String service = config.service("recommender-service").url();
			byte[] secret = new LocalSecrets(config.varDir()).serviceSecret().getBytes(StandardCharsets.UTF_8);
			stack.stopProcess("profile-service");
			Model model = seed(root, config, customers, items, rank, out);
			promote(service, secret, model.versionId(), model.profileIds().get(0), out);
			long servicePid = Measure.pid(config, "recommender-service");
			long postmaster = Long.parseLong(
					Files.readAllLines(config.varDir().resolve("postgres").resolve("pgdata").resolve("postmaster.pid"))
						.get(0)
						.trim());
			Target byProfile = new Target(service, "/v1/recommendations/profiles/{profileId}",
					(i) -> "/v1/recommendations/profiles/" + model.profileIds().get(i) + "?limit=10");
			Target byUserId = new Target(service, "/v1/recommendations",
					(i) -> "/v1/recommendations?userId=bench-" + i + "&limit=10");
			int warmUp = Integer.getInteger("bench.warmup", 120);
			// the closed loop first: the measurements start from the offered rate, not
			// from
			// the backlog (of the recommendation log) a burst at full speed leaves
			out.printf("  … warming up (15 s closed loop, then %d s at the offered rate)%n", warmUp);
			closedLoop(byProfile, secret, 16, 15, customers, servicePid, postmaster);
			openLoop(byProfile, secret, rate, warmUp, customers, servicePid, postmaster);
			String load = Measure.loadAverage();
			Map<String, Result> results = new LinkedHashMap<>();
			results.put("top-10 by profile id, " + rate + " req/s offered",
					openLoop(byProfile, secret, rate, seconds, customers, servicePid, postmaster));
			results.put("top-10 by userId, " + rate + " req/s offered",
					openLoop(byUserId, secret, rate, seconds, customers, servicePid, postmaster));
			int connections = Integer.getInteger("bench.connections", 16);
			results.put("top-10 by profile id, closed loop, " + connections + " connections", closedLoop(byProfile,
					secret, connections, Math.min(seconds, 30), customers, servicePid, postmaster));
			out.println();
			out.printf("model: %,d customers, %,d items, rank %d; %d s per measurement; load average before: %s%n",
					customers, items, rank, seconds, load);
			out.println();
			out.println("| measurement | requests/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | failed"
					+ " | in the service: p50 / p99 ms, share ≤ 10 ms | service CPU (cores) | PostgreSQL CPU (cores)"
					+ " | generator CPU (cores) | service RSS MiB |");
			out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
			results.forEach((name, result) -> out.println(result.row(name)));
			out.printf("%nload average after: %s%n", Measure.loadAverage());
		}
		finally {
			stack.stop();
		}
	}

	private record Model(UUID versionId, List<UUID> profileIds) {
	}

	/**
	 * Profiles as the pipeline writes them, and a candidate model with its factors as the
	 * training job writes it, over JDBC (the driver of local-infra's classpath).
	 */
	private static Model seed(Path root, StackConfig config, int customers, int items, int rank, PrintStream out)
			throws Exception {
		long started = System.nanoTime();
		String workspace = StackConfig.DEV_WORKSPACE;
		SplittableRandom random = new SplittableRandom(42);
		Instant trainedAt = Instant.now().minus(Duration.ofDays(2));
		UUID version = new UUID(random.nextLong(), random.nextLong());
		List<UUID> profiles = new ArrayList<>();
		String[] itemIds = new String[items];
		double[] popularity = new double[items];
		for (int i = 0; i < items; i++) {
			itemIds[i] = String.valueOf(20000 + i) + ((i % 7 == 0) ? "B" : "");
			// Zipf-like popularity, as retail sales are
			popularity[i] = 2000.0 / Math.pow(1 + i, 0.9);
		}
		try (Connection connection = connect(root, config)) {
			connection.setAutoCommit(false);
			try (PreparedStatement profile = connection.prepareStatement(
					"""
							insert into profile.profile (workspace_id, profile_id, user_id, first_seen_at, last_seen_at, event_count)
							values (?, ?, ?, ?, ?, 10)""");
					PreparedStatement identity = connection.prepareStatement(
							"""
									insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
									values (?, 'user_id', ?, ?, ?, ?)""")) {
				Timestamp seen = Timestamp.from(trainedAt.minus(Duration.ofDays(300)));
				for (int c = 0; c < customers; c++) {
					UUID id = new UUID(random.nextLong(), random.nextLong());
					profiles.add(id);
					profile.setString(1, workspace);
					profile.setObject(2, id);
					profile.setString(3, "bench-" + c);
					profile.setTimestamp(4, seen);
					profile.setTimestamp(5, seen);
					profile.addBatch();
					identity.setString(1, workspace);
					identity.setString(2, "bench-" + c);
					identity.setObject(3, id);
					identity.setTimestamp(4, seen);
					identity.setTimestamp(5, seen);
					identity.addBatch();
				}
				profile.executeBatch();
				identity.executeBatch();
			}
			try (PreparedStatement item = connection.prepareStatement("""
					insert into recommender.item (workspace_id, item_id, name, category, brand, price, available)
					values (?, ?, ?, ?, ?, ?, ?)""")) {
				for (int i = 0; i < items; i++) {
					item.setString(1, workspace);
					item.setString(2, itemIds[i]);
					item.setString(3, "Product " + itemIds[i]);
					item.setString(4, "category-" + (i % CATEGORIES));
					item.setString(5, "brand-" + (i % 50));
					item.setBigDecimal(6, java.math.BigDecimal.valueOf(50 + random.nextInt(5000), 2));
					// a few out of stock
					item.setBoolean(7, random.nextInt(50) != 0);
					item.addBatch();
				}
				item.executeBatch();
			}
			try (PreparedStatement versionRow = connection.prepareStatement(
					"""
							insert into recommender.model_version (version_id, workspace_id, trained_at, status, params, metrics,
							                                       cutoff, interactions, users, items, duration_ms)
							values (?, ?, ?, 'candidate', cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, 20000)""")) {
				versionRow.setObject(1, version);
				versionRow.setString(2, workspace);
				versionRow.setTimestamp(3, Timestamp.from(trainedAt));
				versionRow.setString(4,
						"{\"rank\":" + rank + ",\"regParam\":0.1,\"alpha\":40,\"maxIter\":10,\"seed\":42}");
				versionRow.setString(5,
						"{\"k\":10,\"testUsers\":1000,\"als\":{\"precision\":0.05,\"recall\":0.06,"
								+ "\"ndcg\":0.07,\"map\":0.03,\"coverage\":0.4},\"popularity\":{\"ndcg\":0.04},"
								+ "\"itemKnn\":{\"ndcg\":0.06},\"generator\":\"RecommenderBenchmark seed 42\"}");
				versionRow.setTimestamp(6, Timestamp.from(trainedAt.minus(Duration.ofDays(30))));
				versionRow.setLong(7, (long) customers * 60);
				versionRow.setInt(8, customers);
				versionRow.setInt(9, items);
				versionRow.executeUpdate();
			}
			double scale = 1 / Math.sqrt(rank);
			try (PreparedStatement item = connection.prepareStatement("""
					insert into recommender.model_item (version_id, item_index, item_id, factors, popularity)
					values (?, ?, ?, ?, ?)""")) {
				for (int i = 0; i < items; i++) {
					item.setObject(1, version);
					item.setInt(2, i);
					item.setString(3, itemIds[i]);
					item.setArray(4, connection.createArrayOf("real", factors(random, rank, scale)));
					item.setDouble(5, popularity[i]);
					item.addBatch();
				}
				item.executeBatch();
			}
			try (PreparedStatement user = connection.prepareStatement("""
					insert into recommender.model_user (version_id, workspace_id, profile_id, factors, purchased)
					values (?, ?, ?, ?, ?)"""); PreparedStatement event = connection.prepareStatement("""
					insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name,
					                                   occurred_at, properties)
					values (?, ?, ?, 'track', ?, ?, cast(? as jsonb))""")) {
				for (int c = 0; c < customers; c++) {
					UUID profile = profiles.get(c);
					Set<String> bought = new LinkedHashSet<>();
					int distinct = 1 + (int) Math.min(400, -40 * Math.log(1 - random.nextDouble()));
					while (bought.size() < Math.min(distinct, items / 2)) {
						bought.add(itemIds[zipf(random, items)]);
					}
					user.setObject(1, version);
					user.setString(2, workspace);
					user.setObject(3, profile);
					user.setArray(4, connection.createArrayOf("real", factors(random, rank, scale)));
					user.setArray(5, connection.createArrayOf("text", bought.toArray()));
					user.addBatch();
					// the orders behind it (before training), and for a fifth of the
					// customers 1-3 orders since
					List<String> history = new ArrayList<>(bought);
					int orders = 1 + history.size() / 12;
					for (int o = 0; o < orders; o++) {
						List<String> lines = history.subList(o * history.size() / orders,
								(o + 1) * history.size() / orders);
						addOrder(event, workspace, profile, trainedAt.minus(Duration.ofDays(1 + random.nextInt(300))),
								lines);
					}
					if (random.nextInt(5) == 0) {
						for (int o = 0, n = 1 + random.nextInt(3); o < n; o++) {
							List<String> lines = new ArrayList<>();
							for (int l = 0, k = 1 + random.nextInt(10); l < k; l++) {
								lines.add(itemIds[zipf(random, items)]);
							}
							addOrder(event, workspace, profile,
									trainedAt.plus(Duration.ofMinutes(1 + random.nextInt(2 * 24 * 60 - 2))), lines);
						}
					}
					if (c % 500 == 499) {
						user.executeBatch();
						event.executeBatch();
					}
				}
				user.executeBatch();
				event.executeBatch();
			}
			connection.commit();
			try (var analyze = connection.createStatement()) {
				connection.setAutoCommit(true);
				analyze.execute("analyze profile.profile");
				analyze.execute("analyze profile.profile_event");
				analyze.execute("analyze profile.profile_identity");
				analyze.execute("analyze profile.profile_merge");
			}
		}
		out.printf("  ✓ model written: %,d customers, %,d items, rank %d (%.1f s)%n", customers, items, rank,
				(System.nanoTime() - started) / 1e9);
		return new Model(version, profiles);
	}

	private static void addOrder(PreparedStatement event, String workspace, UUID profile, Instant at,
			List<String> lines) throws java.sql.SQLException {
		StringBuilder products = new StringBuilder();
		for (String line : lines) {
			products.append((products.length() > 0) ? "," : "")
				.append("{\"product_id\":\"")
				.append(line)
				.append("\",\"quantity\":2,\"price\":1.95}");
		}
		event.setString(1, workspace);
		event.setObject(2, UUID.randomUUID());
		event.setObject(3, profile);
		event.setString(4, "Order Completed");
		event.setTimestamp(5, Timestamp.from(at));
		event.setString(6,
				"{\"order_id\":\"" + UUID.randomUUID() + "\",\"currency\":\"GBP\",\"products\":[" + products + "]}");
		event.addBatch();
	}

	/** An item index, popular ones more often. */
	private static int zipf(SplittableRandom random, int items) {
		return (int) Math.min(items - 1, Math.floor(Math.pow(items + 1, random.nextDouble()) - 1));
	}

	private static Float[] factors(SplittableRandom random, int rank, double scale) {
		Float[] factors = new Float[rank];
		for (int f = 0; f < rank; f++) {
			factors[f] = (float) (gaussian(random) * scale);
		}
		return factors;
	}

	private static double gaussian(SplittableRandom random) {
		return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
	}

	/**
	 * PostgreSQL's JDBC driver from local-infra's runtime classpath, which started it.
	 */
	private static Connection connect(Path root, StackConfig config) throws Exception {
		Path lib = root.resolve("local-infra/target/lib");
		Path jar;
		try (Stream<Path> jars = Files.list(lib)) {
			jar = jars.filter((path) -> path.getFileName().toString().matches("postgresql-[0-9.]+\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no PostgreSQL driver in " + lib));
		}
		URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
				RecommenderBenchmark.class.getClassLoader());
		Driver driver = (Driver) Class.forName("org.postgresql.Driver", true, loader)
			.getDeclaredConstructor()
			.newInstance();
		Properties properties = new Properties();
		properties.setProperty("user", "lodestar");
		properties.setProperty("password", "lodestar");
		properties.setProperty("reWriteBatchedInserts", "true");
		return driver.connect(config.jdbcUrl(), properties);
	}

	/** Serves the candidate and waits until the service answers from it. */
	private static void promote(String service, byte[] secret, UUID version, UUID profile, PrintStream out)
			throws Exception {
		HttpResponse<String> promoted = HTTP
			.send(signed(URI.create(service + "/v1/recommendations/models/" + version + "/promote"), secret)
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		if (promoted.statusCode() != 200) {
			throw new IllegalStateException("promotion refused: " + promoted.statusCode() + " " + promoted.body());
		}
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (true) {
			HttpResponse<String> answer = HTTP.send(
					signed(URI.create(service + "/v1/recommendations/profiles/" + profile), secret).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() == 200 && answer.body().contains("\"versionId\":\"" + version + "\"")) {
				break;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the model was not loaded: " + answer.body());
			}
			Thread.sleep(200);
		}
		out.println("  ✓ model promoted and loaded");
	}

	private static HttpRequest.Builder signed(URI uri, byte[] secret) {
		return HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(30))
			.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
			.header("X-Lodestar-Assertion", Measure.assertion(secret, 600));
	}

	/** Open loop: requests leave on schedule; latency from when each was due. */
	private static Result openLoop(Target target, byte[] secret, int rate, int seconds, int customers, long servicePid,
			long postmaster) throws Exception {
		IntFunction<String> uri = target.path();
		Recorder latency = new Recorder(3);
		AtomicLong ok = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		ExecutorService senders = Executors.newFixedThreadPool(64);
		String assertion = Measure.assertion(secret, 600);
		List<HttpConnection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
		ThreadLocal<HttpConnection> clients = ThreadLocal.withInitial(() -> {
			HttpConnection connection = new HttpConnection(target.service(), headers(assertion));
			opened.add(connection);
			return connection;
		});
		SplittableRandom random = new SplittableRandom(rate * 31L + seconds);
		long intervalNanos = 1_000_000_000L / rate;
		long total = (long) rate * seconds;
		Map<Double, Long> serverBefore = serverHistogram(target);
		ProcessCpu before = ProcessCpu.of(Map.of("service", servicePid), postmaster);
		long started = System.nanoTime();
		List<Future<?>> sent = new ArrayList<>();
		for (long i = 0; i < total; i++) {
			long due = started + i * intervalNanos;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			String next = uri.apply(random.nextInt(customers));
			sent.add(senders.submit(() -> {
				boolean good = tenItems(clients.get().get(next));
				latency.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
				(good ? ok : failures).incrementAndGet();
			}));
		}
		for (Future<?> future : sent) {
			future.get();
		}
		senders.shutdown();
		opened.forEach(HttpConnection::close);
		double elapsed = (System.nanoTime() - started) / 1e9;
		return new Result(ok.get() / elapsed, latency.getIntervalHistogram(), failures.get(),
				cores(ProcessCpu.of(Map.of("service", servicePid), postmaster).coresSince(before, elapsed)),
				Measure.rssMiB(servicePid), ServerLatency.between(serverBefore, serverHistogram(target)));
	}

	private static Result closedLoop(Target target, byte[] secret, int connections, int seconds, int customers,
			long servicePid, long postmaster) throws Exception {
		IntFunction<String> uri = target.path();
		Recorder latency = new Recorder(3);
		AtomicLong ok = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		String assertion = Measure.assertion(secret, 600);
		Map<Double, Long> serverBefore = serverHistogram(target);
		ProcessCpu before = ProcessCpu.of(Map.of("service", servicePid), postmaster);
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		ExecutorService pool = Executors.newFixedThreadPool(connections);
		List<Future<?>> workers = new ArrayList<>();
		long started = System.nanoTime();
		for (int c = 0; c < connections; c++) {
			int seed = c;
			workers.add(pool.submit(() -> {
				HttpConnection connection = new HttpConnection(target.service(), headers(assertion));
				SplittableRandom random = new SplittableRandom(seed);
				while (System.nanoTime() < end) {
					long sent = System.nanoTime();
					boolean good = tenItems(connection.get(uri.apply(random.nextInt(customers))));
					latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
					(good ? ok : failures).incrementAndGet();
				}
				connection.close();
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		double elapsed = (System.nanoTime() - started) / 1e9;
		return new Result(ok.get() / elapsed, latency.getIntervalHistogram(), failures.get(),
				cores(ProcessCpu.of(Map.of("service", servicePid), postmaster).coresSince(before, elapsed)),
				Measure.rssMiB(servicePid), ServerLatency.between(serverBefore, serverHistogram(target)));
	}

	/**
	 * What is asked: the request for a customer, and the service's route (its {@code uri}
	 * tag in the latency histogram).
	 */
	private record Target(String service, String route, IntFunction<String> path) {
	}

	/**
	 * The service's own latency histogram of a route ({@code http.server.requests}, in
	 * /actuator/prometheus): cumulative count per upper bound in seconds.
	 */
	private static Map<Double, Long> serverHistogram(Target target) {
		Map<Double, Long> buckets = new java.util.TreeMap<>();
		try {
			HttpResponse<String> metrics = HTTP.send(
					HttpRequest.newBuilder(URI.create(target.service() + "/actuator/prometheus")).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			String route = "uri=\"" + target.route() + "\"";
			for (String line : metrics.body().split("\n")) {
				if (!line.startsWith("http_server_requests_seconds_bucket{") || !line.contains(route)
						|| !line.contains("status=\"200\"")) {
					continue;
				}
				int le = line.indexOf("le=\"") + 4;
				String bound = line.substring(le, line.indexOf('"', le));
				double upper = "+Inf".equals(bound) ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
				long count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				buckets.merge(upper, count, Long::sum);
			}
		}
		catch (IOException | RuntimeException ex) {
			// no histogram: reported as unknown
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return buckets;
	}

	/**
	 * Quantiles of the service's own histogram over a measurement (bucket upper bounds).
	 */
	private record ServerLatency(double p50, double p99, double within10ms, long count) {

		static ServerLatency between(Map<Double, Long> before, Map<Double, Long> after) {
			Map<Double, Long> delta = new java.util.TreeMap<>();
			after.forEach((bound, count) -> delta.put(bound, count - before.getOrDefault(bound, 0L)));
			long total = delta.getOrDefault(Double.POSITIVE_INFINITY, 0L);
			if (total == 0) {
				return new ServerLatency(Double.NaN, Double.NaN, Double.NaN, 0);
			}
			return new ServerLatency(quantile(delta, total, 0.50), quantile(delta, total, 0.99),
					(double) delta.getOrDefault(0.01, 0L) / total, total);
		}

		private static double quantile(Map<Double, Long> cumulative, long total, double quantile) {
			for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
				if (bucket.getValue() >= quantile * total) {
					return bucket.getKey() * 1000;
				}
			}
			return Double.POSITIVE_INFINITY;
		}

		@Override
		public String toString() {
			return (this.count == 0) ? "unknown"
					: String.format("≤ %.1f / ≤ %.1f, %.2f %%", this.p50, this.p99, this.within10ms * 100);
		}

	}

	/**
	 * A minimal HTTP/1.1 client on one kept-alive socket: the generator shares the 2
	 * cores with the service, so it should spend as little CPU per request as it can (the
	 * JDK's HttpClient costs several times more). Reconnects when the server closes.
	 */
	/** The gateway's word for the demo workspace, as request headers. */
	private static String headers(String assertion) {
		return "X-Lodestar-Workspace: " + StackConfig.DEV_WORKSPACE + "\r\nX-Lodestar-Assertion: " + assertion + "\r\n";
	}

	/** A good answer: 200 with ten items. */
	private static boolean tenItems(HttpConnection.Answer answer) {
		return answer != null && answer.status() == 200 && answer.text().contains("\"position\":10,");
	}

	/** Service, PostgreSQL and generator cores, in that order. */
	private static double[] cores(Map<String, Double> cores) {
		return new double[] { cores.get("service"), cores.get(ProcessCpu.POSTGRES), cores.get(ProcessCpu.GENERATOR) };
	}

	private record Result(double perSecond, Histogram latencyMicros, long failures, double[] cpu, long rssMiB,
			ServerLatency server) {

		String row(String name) {
			return String.format(
					"| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %s | %.2f | %.2f | %.2f | %d |", name,
					this.perSecond, ms(50), ms(95), ms(99), ms(99.9), this.latencyMicros.getMaxValue() / 1000.0,
					this.failures, this.server, this.cpu[0], this.cpu[1], this.cpu[2], this.rssMiB);
		}

		private double ms(double percentile) {
			return this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
		}

	}

}
