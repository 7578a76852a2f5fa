package io.lodestar.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.JavaProcess;
import io.lodestar.infra.launch.RunningProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * etl-service on a real Spark standalone cluster, as ops run it with
 * {@code LODESTAR_SPARK_CLUSTER=standalone ./lodestar up} (or their own cluster's
 * {@code LODESTAR_SPARK_MASTER=spark://…}): a Master and a Worker in their own JVMs on a
 * Spark installation that holds none of Lodestar's code, etl-service's exec jar as the
 * driver. The streaming job's profile writer and lake append, and the batch jobs, run in
 * executors the Worker started — the service ships its code to them — and their results
 * are exactly those of the events sent. Then the same exec jar is started with
 * {@code spark-submit} (client mode), as etl-service's README shows, and goes on from the
 * first one's checkpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String WORKSPACE = StackConfig.DEV_WORKSPACE;

	private static final int PEOPLE = 5;

	private static StackConfig config;

	private static Stack stack;

	private static StartedStack platform;

	private static String token;

	/** The events the first test sent. */
	private static int firstEvents;

	/** The first application's id. */
	private static String firstAppId;

	/** etl-service as spark-submit started it, stopped by this class. */
	private static RunningProcess submitted;

	@BeforeAll
	static void startPlatformOnACluster() throws Exception {
		platform = StartedStack.start("spark-cluster-var-", Map.of("LODESTAR_SPARK_CLUSTER", "standalone"), (all) -> all
			.onlyServices(List.of("ingestion-service", "profile-service", "etl-service", "api-gateway")));
		config = platform.config();
		stack = platform.stack();
		token = platform.token();
		assertThat(stack.runningProcesses()).contains(SparkCluster.MASTER, SparkCluster.WORKER);
	}

	@AfterAll
	static void stopPlatform() {
		if (submitted != null) {
			submitted.stop(Duration.ofSeconds(30));
			assertThat(submitted.isAlive()).isFalse();
		}
		if (platform != null) {
			platform.stop();
		}
	}

	@Test
	@Order(1)
	void eventsAndBatchJobsAreProcessedByTheClustersExecutors() throws Exception {
		// the service registered with the Master as an application holding the Worker's
		// cores: its tasks cannot run anywhere but in the Worker's executors
		JsonNode master = masterStatus();
		JsonNode app = null;
		for (JsonNode active : master.get("activeapps")) {
			if ("lodestar-etl".equals(active.get("name").asString())) {
				app = active;
			}
		}
		assertThat(app).as("etl-service runs as an application of the cluster: %s", master).isNotNull();
		assertThat(app.get("cores").asInt()).isPositive();
		String appId = app.get("id").asString();
		firstAppId = appId;

		// 5 people: identify (with an email) and two orders each; one visitor who browses
		// anonymously, then signs in (the anonymous profile gets the user id)
		StringBuilder batch = new StringBuilder("{\"batch\":[");
		int events = 0;
		double revenue = 0;
		for (int person = 0; person < PEOPLE; person++) {
			String userId = "cluster-user-" + person;
			batch
				.append(message("identify", userId, null,
						"\"traits\":{\"email\":\"cluster." + person + "@example.com\",\"plan\":\""
								+ ((person % 2 == 0) ? "pro" : "free") + "\"}"))
				.append(',');
			events++;
			for (int order = 1; order <= 2; order++) {
				double value = 10 * person + order;
				revenue += value;
				batch
					.append(message("track", userId, null,
							"\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"o-" + person + "-" + order
									+ "\",\"revenue\":" + value + ",\"currency\":\"EUR\"}"))
					.append(',');
				events++;
			}
		}
		String anonymousId = "cluster-anon-" + UUID.randomUUID();
		batch.append(message("page", null, anonymousId, "\"name\":\"Pricing\"")).append(',');
		batch.append(message("identify", "cluster-user-visitor", anonymousId, "\"traits\":{\"plan\":\"free\"}"));
		events += 2;
		batch.append("]}");
		postBatch(batch.toString());
		int sentEvents = events;
		double sentRevenue = revenue;
		firstEvents = events;

		// the streaming job's profile writer ran in the executors: every event applied
		// once
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(scalar("select count(*) from etl.processed_event where workspace_id = '" + WORKSPACE + "'"))
				.isEqualTo(sentEvents);
			assertThat(scalar("select coalesce(sum(event_count), 0) from profile.profile where workspace_id = '"
					+ WORKSPACE + "'"))
				.isEqualTo(sentEvents);
		});
		assertThat(scalar("select count(*) from profile.profile where workspace_id = '" + WORKSPACE + "'"))
			.isEqualTo(PEOPLE + 1);
		assertThat(scalar("select count(*) from profile.profile_identity i join profile.profile_identity a"
				+ " on a.profile_id = i.profile_id where i.workspace_id = '" + WORKSPACE
				+ "' and i.kind = 'user_id' and i.value = 'cluster-user-visitor' and a.kind = 'anonymous_id' and a.value = '"
				+ anonymousId + "'"))
			.as("the visitor's anonymous profile became the signed-in person's")
			.isEqualTo(1);

		// the executors appended the events to the lake (after the profiles, in the same
		// micro-batch); the batch jobs read them from there
		await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(lakeRecords()).isEqualTo(sentEvents));
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		JsonNode identity = runJob("identity", "{\"parameters\":{\"dryRun\":true}}");
		assertThat(identity.get("result").get("events").asLong()).isEqualTo(sentEvents);
		assertThat(identity.get("result").get("profiles").asLong()).isEqualTo(PEOPLE + 1);
		assertThat(identity.get("result").get("agreement").asDouble()).isEqualTo(1.0);
		JsonNode marts = runJob("marts",
				"{\"from\":\"" + today.minusDays(1) + "\",\"to\":\"" + today.plusDays(1) + "\"}");
		assertThat(marts.get("status").asString()).isEqualTo("succeeded");
		assertThat(scalar(
				"select coalesce(sum(events), 0) from profile.mart_day where workspace_id = '" + WORKSPACE + "'"))
			.isEqualTo(sentEvents);
		assertThat(single("select coalesce(sum(revenue), 0) from profile.mart_customer_day where workspace_id = '"
				+ WORKSPACE + "'")
			.doubleValue()).isEqualTo(sentRevenue);

		// and the work was done in executor JVMs the Worker started, on the service's
		// shipped code
		Path appDir = config.varDir().resolve("spark").resolve("work").resolve(appId);
		assertThat(appDir).isDirectory();
		long tasks = 0;
		try (Stream<Path> files = Files.walk(appDir)) {
			for (Path stderr : files.filter((path) -> path.getFileName().toString().equals("stderr")).toList()) {
				tasks += Files.readAllLines(stderr).stream().filter((line) -> line.contains("Finished task")).count();
			}
		}
		assertThat(tasks).as("tasks the executors of %s finished", appId).isPositive();
		assertThat(Files.readString(config.logDir().resolve("etl-service.log")))
			.contains("Executors load the service's code from");
	}

	@Test
	@Order(2)
	void theSameExecJarRunsUnderSparkSubmit() throws Exception {
		assertThat(firstAppId).as("the first test ran").isNotNull();
		stack.stopProcess("etl-service");
		ServiceSpec etl = config.service("etl-service");
		Path jar = etl.jar(config.root()).toAbsolutePath();
		Path home = config.root().resolve("local-spark/target/spark-home").toAbsolutePath();
		// spark-submit puts Spark's jars first: Boot's nested: URL handler (in the exec
		// jar) and the Jackson 2.21 annotations Spring's Jackson 3 needs go ahead of them
		Path annotations = extractAnnotations(jar, config.varDir().resolve("spark-submit"));
		List<String> options = new ArrayList<>(List.of("-Xmx1g",
				"-Djava.io.tmpdir=" + Files.createDirectories(config.varDir().resolve("spark-submit/tmp"))));
		options.addAll(Stack.jarJvmOptions(jar));
		Map<String, String> env = new HashMap<>(config.serviceEnvironment());
		env.put("SPARK_HOME", home.toString());
		env.put("SPARK_SCALA_VERSION", "2.13");
		submitted = JavaProcess
			.mainClass("etl-service (spark-submit)", List.of(annotations, jar, home.resolve("jars").resolve("*")),
					"org.apache.spark.deploy.SparkSubmit")
			.jvmOptions(options)
			.env(env)
			.args("--master", config.spark().masterUrl(), "--deploy-mode", "client", "--driver-class-path",
					annotations + java.io.File.pathSeparator + jar, "--class",
					"org.springframework.boot.loader.launch.JarLauncher", jar.toString())
			.workingDirectory(config.root())
			.logFile(config.logDir().resolve("etl-service-spark-submit.log"))
			.start()
			.awaitHttpOk(etl.url() + "/actuator/health/readiness", Duration.ofMinutes(4));

		JsonNode master = masterStatus();
		List<String> active = new ArrayList<>();
		for (JsonNode app : master.get("activeapps")) {
			if ("lodestar-etl".equals(app.get("name").asString())) {
				active.add(app.get("id").asString());
			}
		}
		assertThat(active).as("a new application, the first one gone: %s", master)
			.hasSize(1)
			.doesNotContain(firstAppId);

		StringBuilder batch = new StringBuilder("{\"batch\":[");
		for (int i = 0; i < 3; i++) {
			batch.append((i > 0) ? "," : "")
				.append(message("track", "cluster-user-0", null,
						"\"event\":\"Product Viewed\",\"properties\":{\"sku\":\"s-" + i + "\"}"));
		}
		batch.append("]}");
		postBatch(batch.toString());
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(scalar("select count(*) from etl.processed_event where workspace_id = '" + WORKSPACE + "'"))
				.isEqualTo(firstEvents + 3);
			assertThat(scalar("select event_count from profile.profile p join profile.profile_identity i"
					+ " on i.profile_id = p.profile_id where i.workspace_id = '" + WORKSPACE
					+ "' and i.kind = 'user_id' and i.value = 'cluster-user-0'"))
				.isEqualTo(3 + 3);
		});
		await().atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(lakeRecords()).isEqualTo(firstEvents + 3));
	}

	/** Posts a batch to the collector with the local stack's write key. */
	private static void postBatch(String batch) throws IOException, InterruptedException {
		HttpResponse<String> sent = HTTP
			.send(HttpRequest.newBuilder(URI.create(config.service("ingestion-service").url() + "/v1/batch"))
				.header("Content-Type", "application/json")
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString((StackConfig.DEV_WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
				.POST(HttpRequest.BodyPublishers.ofString(batch))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
	}

	private static Path extractAnnotations(Path jar, Path folder) throws IOException {
		Files.createDirectories(folder);
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
			java.util.zip.ZipEntry entry = zip.stream()
				.filter((candidate) -> candidate.getName().startsWith("BOOT-INF/lib/jackson-annotations-2."))
				.findFirst()
				.orElseThrow();
			Path target = folder.resolve(entry.getName().substring("BOOT-INF/lib/".length()));
			try (java.io.InputStream in = zip.getInputStream(entry)) {
				Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			return target;
		}
	}

	/** The records of the lake's events table, from its Iceberg metadata. */
	private static long lakeRecords() throws IOException {
		Path metadata = config.dataDir().resolve("lake/cdp/events/metadata");
		Path hint = metadata.resolve("version-hint.text");
		if (!Files.exists(hint)) {
			return 0;
		}
		JsonNode table = JSON
			.readTree(metadata.resolve("v" + Files.readString(hint).trim() + ".metadata.json").toFile());
		long current = table.path("current-snapshot-id").asLong(-1);
		for (JsonNode snapshot : table.path("snapshots")) {
			if (snapshot.get("snapshot-id").asLong() == current) {
				return Long.parseLong(snapshot.get("summary").get("total-records").asString());
			}
		}
		return 0;
	}

	private static String message(String type, String userId, String anonymousId, String fields) {
		StringBuilder json = new StringBuilder("{\"type\":\"").append(type).append('"');
		if (userId != null) {
			json.append(",\"userId\":\"").append(userId).append('"');
		}
		if (anonymousId != null) {
			json.append(",\"anonymousId\":\"").append(anonymousId).append('"');
		}
		json.append(",\"messageId\":\"").append(UUID.randomUUID()).append("\",").append(fields).append('}');
		return json.toString();
	}

	/**
	 * Starts a run of a job through the gateway (or joins the one already running) and
	 * waits for it to end.
	 */
	private static JsonNode runJob(String job, String body) throws IOException, InterruptedException {
		HttpResponse<String> started = HTTP
			.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/jobs/" + job + "/runs"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(started.statusCode()).as(started.body()).isIn(200, 201, 202);
		String runId = JSON.readTree(started.body()).get("runId").asString();
		JsonNode[] run = new JsonNode[1];
		await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).until(() -> {
			HttpResponse<String> status = HTTP
				.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/jobs/runs/" + runId))
					.header("Authorization", "Bearer " + token)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			run[0] = JSON.readTree(status.body());
			String state = run[0].path("status").asString();
			return "succeeded".equals(state) || "failed".equals(state);
		});
		assertThat(run[0].get("status").asString()).as("%s run: %s", job, run[0]).isEqualTo("succeeded");
		return run[0];
	}

	/** The Master's JSON status: workers and applications. */
	private static JsonNode masterStatus() {
		return JSON.readTree(new SparkCluster(config.spark(), config.root(), config.varDir(), List.of()).status());
	}

	private static long scalar(String sql) throws SQLException {
		return single(sql).longValue();
	}

	/** The one number a query answers. */
	private static Number single(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), "lodestar", "lodestar");
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return (Number) rows.getObject(1);
		}
	}

}
