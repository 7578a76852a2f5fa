package io.lodestar.stack.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.LocalSecrets;
import io.lodestar.stack.Stack;
import io.lodestar.stack.StackConfig;

/**
 * The scale benchmarks of {@code docs/benchmarks.md} on one data set: starts PostgreSQL,
 * Kafka, profile-service, segment-service and the gateway on free loopback ports, seeds
 * the demo workspace with {@link ScaleData} (1M profiles and 20M events by default), then
 * measures, through the gateway as a client would:
 * <ul>
 * <li>profile lookups by id — closed loop, straight at profile-service and through the
 * gateway (goal ≥ 5,000/s, p99 ≤ 20 ms);</li>
 * <li>a 4-step funnel and a depth-4 path query over the whole year (goal ≤ 2 s
 * each);</li>
 * <li>a segment preview of a 3-level rule with two event-window conditions (goal ≤ 1 s)
 * and the full recompute of 50 saved segments.</li>
 * </ul>
 * Stops everything it started.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.ScaleBenchmark [profiles=1000000] [sessions=4] [seconds=20] [connections=16]}
 * ({@code -Dbench.only=lookups}: only the lookup rounds;
 * {@code -Dbench.reuse=var/bench-scale-…}: measure again on the state an earlier run
 * seeded)
 */
public final class ScaleBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static final String YEAR = "\"from\":\"2025-01-01\",\"to\":\"2025-12-31\"";

	static final String FUNNEL = "{" + YEAR + ",\"window\":\"P1D\",\"steps\":[{\"event\":\"Product Viewed\"},"
			+ "{\"event\":\"Product Added\"},{\"event\":\"Checkout Started\"},{\"event\":\"Order Completed\"}]}";

	static final String PATHS = "{" + YEAR + ",\"start\":{\"event\":\"Product Viewed\"},\"depth\":4,\"top\":5}";

	/** Three levels, two event conditions with windows. */
	static final String PREVIEW = """
			{"rule":{"type":"and","conditions":[
			  {"type":"trait","trait":"country","op":"in","value":["UK","DE"]},
			  {"type":"or","conditions":[
			    {"type":"event","event":"Order Completed","count":{"op":"gte","value":1},
			     "window":{"from":"2025-06-01","to":"2025-12-31"}},
			    {"type":"and","conditions":[
			      {"type":"event","event":"Product Added","count":{"op":"gte","value":2},
			       "window":{"from":"2025-09-01","to":"2025-12-31"}},
			      {"type":"trait","trait":"plan","op":"eq","value":"pro"}]}]}]}}""";

	private ScaleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int profiles = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int sessions = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 20;
		int connections = (args.length > 3) ? Integer.parseInt(args[3]) : 16;
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		// -Dbench.reuse=var/bench-scale-…: the state of an earlier run, seeded with the
		// same profiles and sessions — measured again without seeding
		String reuse = System.getProperty("bench.reuse");
		Path varDir = (reuse != null) ? Path.of(reuse).toAbsolutePath()
				: Files.createTempDirectory(Files.createDirectories(root.resolve("var")), "bench-scale-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		// the in-memory timeline of 20M events (ADR 0033) with room to reload it
		env.putIfAbsent("LODESTAR_PROFILE_HEAP", System.getProperty("bench.profile-heap", "2g"));
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_PROFILE_PORT", "LODESTAR_SEGMENT_PORT", "LODESTAR_GATEWAY_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = StackConfig.fromEnvironment(root, env)
			.onlyServices(List.of("profile-service", "segment-service", "api-gateway"));
		Stack stack = new Stack(config, out);
		stack.start();
		try {
			try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), "lodestar", "lodestar")) {
				if (reuse == null) {
					ScaleData.seed(connection, StackConfig.DEV_WORKSPACE, profiles, sessions, out);
				}
			}
			String gateway = config.gatewayUrl();
			String profileService = config.service("profile-service").url();
			LocalSecrets secrets = new LocalSecrets(config.varDir());
			String token = GatewayBenchmark.adminToken(gateway, secrets);
			byte[] serviceSecret = secrets.serviceSecret().getBytes(StandardCharsets.UTF_8);
			long indexMs = awaitIndex(profileService, serviceSecret, out);
			List<String> lines = new ArrayList<>();
			lines.add(String.format("in-memory timeline (ADR 0033) ready %,d ms after the seeding", indexMs));
			lines.add(String.format("%,d profiles, %,d events (%d sessions of %d events each)", profiles,
					(long) profiles * sessions * ScaleData.EVENTS_PER_SESSION, sessions, ScaleData.EVENTS_PER_SESSION));

			// -Dbench.only=lookups: the lookup rounds alone
			if (!"lookups".equals(System.getProperty("bench.only"))) {
				lines.add("");
				lines.add("| query | runs (ms, wall) | median ms | server ms (median) |");
				lines.add("|---|---|---|---|");
				lines.add(timed("funnel, 4 steps, 1-day window, a year", gateway, token, "/v1/analytics/funnels",
						FUNNEL));
				lines.add(timed("paths after Product Viewed, depth 4, top 5, a year", gateway, token,
						"/v1/analytics/paths", PATHS));
				lines.add(timed("segment preview, 3 levels, 2 event windows", gateway, token, "/v1/segments/preview",
						PREVIEW));
				lines.add(recomputeFifty(gateway, token));
			}

			List<String> keys = GatewayBenchmark.apiKeys(gateway, secrets, connections);
			String assertion = Measure.assertion(serviceSecret, 24 * 3600);
			GatewayBenchmark.Lookup direct = new GatewayBenchmark.Lookup(profileService,
					(connection) -> GatewayBenchmark.directHeaders(assertion),
					(n) -> "/v1/profiles/" + profileId(n + 1));
			GatewayBenchmark.Lookup throughGateway = new GatewayBenchmark.Lookup(gateway,
					(connection) -> "X-Api-Key: " + keys.get(connection) + "\r\n",
					(n) -> "/v1/profiles/" + profileId(n + 1));
			Map<String, Long> processes = GatewayBenchmark.processes(config);
			long postmaster = GatewayBenchmark.postmaster(config);
			out.println("  … warming up the lookups");
			for (int i = 0; i < 3; i++) {
				GatewayBenchmark.closedLoop(direct, connections, 15, profiles, processes, postmaster);
				GatewayBenchmark.closedLoop(throughGateway, connections, 15, profiles, processes, postmaster);
			}
			lines.add("");
			lines.add("| lookup by profile id | lookups/s | p50 ms | p99 ms | failed | CPU µs per lookup |");
			lines.add("|---|---|---|---|---|---|");
			for (int round = 1; round <= 2; round++) {
				lines.add(GatewayBenchmark.closedLoop(direct, connections, seconds, profiles, processes, postmaster)
					.row("direct to profile-service, round " + round));
				lines.add(GatewayBenchmark
					.closedLoop(throughGateway, connections, seconds, profiles, processes, postmaster)
					.row("through the gateway (API keys), round " + round));
			}
			out.println();
			lines.forEach(out::println);
		}
		finally {
			stack.stop();
		}
	}

	/**
	 * Asks profile-service for the workspace's in-memory timeline (asking starts its
	 * load) until it is ready; answers how long that took.
	 */
	private static long awaitIndex(String profileService, byte[] serviceSecret, PrintStream out) throws Exception {
		long started = System.nanoTime();
		long deadline = started + Duration.ofMinutes(20).toNanos();
		while (true) {
			HttpResponse<String> response = HTTP
				.send(HttpRequest.newBuilder(URI.create(profileService + "/v1/analytics/index"))
					.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
					.header("X-Lodestar-Assertion", Measure.assertion(serviceSecret, 60))
					.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode status = JSON.readTree(response.body());
			if (status.path("ready").asBoolean(false)) {
				long ms = (System.nanoTime() - started) / 1_000_000;
				out.printf("  … in-memory timeline ready: %,d profiles, %,d events, %,d ms%n",
						status.path("profiles").asLong(), status.path("events").asLong(), ms);
				return ms;
			}
			if (System.nanoTime() > deadline || status.path("overLimit").asBoolean(false)) {
				throw new IllegalStateException("the in-memory timeline did not load: " + response.body());
			}
			Thread.sleep(2_000);
		}
	}

	/** One warm-up, then five timed runs of the same question. */
	private static String timed(String name, String gateway, String token, String path, String body) throws Exception {
		post(gateway, token, path, body);
		long[] wall = new long[5];
		long[] server = new long[5];
		for (int i = 0; i < wall.length; i++) {
			long started = System.nanoTime();
			JsonNode answer = post(gateway, token, path, body);
			wall[i] = (System.nanoTime() - started) / 1_000_000;
			server[i] = answer.has("durationMs") ? answer.get("durationMs").asLong() : -1;
		}
		long[] sorted = wall.clone();
		Arrays.sort(sorted);
		long[] serverSorted = server.clone();
		Arrays.sort(serverSorted);
		return String.format("| %s | %s | %d | %s |", name, Arrays.toString(wall), sorted[2],
				(serverSorted[2] >= 0) ? String.valueOf(serverSorted[2]) : "—");
	}

	/** 50 saved segments of varied rules, each recomputed in turn. */
	private static String recomputeFifty(String gateway, String token) throws Exception {
		String[] countries = { "UK", "DE", "FR", "PT", "US" };
		String[] events = { "Order Completed", "Product Added", "Checkout Started", "Product Viewed" };
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			String rule = String.format(
					"{\"type\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"country\",\"op\":\"eq\",\"value\":\"%s\"},"
							+ "{\"type\":\"event\",\"event\":\"%s\",\"count\":{\"op\":\"gte\",\"value\":%d},"
							+ "\"window\":{\"from\":\"2025-%02d-01\",\"to\":\"2025-12-31\"}}]}",
					countries[i % 5], events[i % 4], 1 + i % 3, 1 + i % 12);
			JsonNode created = post(gateway, token, "/v1/segments",
					"{\"name\":\"bench segment " + i + " " + UUID.randomUUID() + "\",\"rule\":" + rule + "}");
			ids.add(created.get("segmentId").asString());
		}
		long started = System.nanoTime();
		long members = 0;
		for (String id : ids) {
			members += post(gateway, token, "/v1/segments/" + id + "/recompute", "").get("size").asLong();
		}
		long ms = (System.nanoTime() - started) / 1_000_000;
		return String.format(
				"| full recompute of 50 saved segments (%,d memberships) | total %,d ms | %d per segment | — |",
				members, ms, ms / 50);
	}

	private static JsonNode post(String gateway, String token, String path, String body) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofMinutes(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body());
	}

	/**
	 * The id {@link ScaleData} gives profile {@code n}: PostgreSQL's md5 text as a uuid.
	 */
	static String profileId(int n) {
		try {
			byte[] digest = MessageDigest.getInstance("MD5")
				.digest((StackConfig.DEV_WORKSPACE + ":p:" + n).getBytes(StandardCharsets.UTF_8));
			String hex = HexFormat.of().formatHex(digest);
			return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
					+ hex.substring(16, 20) + "-" + hex.substring(20);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
