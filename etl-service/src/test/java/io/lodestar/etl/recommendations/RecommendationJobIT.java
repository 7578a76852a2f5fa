package io.lodestar.etl.recommendations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.etl.lake.LakeTable;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recommendation job on the real PostgreSQL with recommender-service's and
 * profile-service's migrations, triggered through the REST API: events in the lake (a
 * planted "A and B, then C" pattern, catalogue fields, a merged profile) become a
 * candidate model version with its parameters and hold-out metrics, item and profile
 * factors, purchases and the catalogue (availability untouched); a workspace without
 * events fails loudly and is not retried.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.etl.streaming.enabled=false", "lodestar.etl.scheduler.tick=500ms" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RecommendationJobIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LakeTable lake;

	@Autowired
	SparkSession spark;

	private final String workspace = "recs-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "recs-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		registry.add("lodestar.etl.lake.warehouse", () -> dataDir.resolve("warehouse").toString());
		OwnerSchema.profile();
		OwnerSchema.migrate("recommender", "../recommender-service/src/main/resources/db/migration");
	}

	private Row event(String profile, String name, double day, String properties) {
		return RowFactory.create(this.workspace, UUID.randomUUID().toString(), profile, "track", name, null, null,
				Timestamp.from(DAY0.plusSeconds((long) (day * 86400))), null, "web", properties, "{}", null);
	}

	private Row order(String profile, double day, String... items) {
		String products = Arrays.stream(items)
			.map((item) -> "{\"product_id\":\"" + item + "\",\"quantity\":2,\"name\":\"Product " + item
					+ "\",\"category\":\"Kitchen\",\"brand\":\"Acme\",\"price\":" + (item.charAt(0) - 60) + ".5}")
			.collect(Collectors.joining(","));
		return event(profile, "Order Completed", day, "{\"order_id\":\"o\",\"products\":[" + products + "]}");
	}

	@Test
	void aTriggeredRunWritesACandidateVersionToTheRecommenderTables() throws Exception {
		List<Row> rows = new ArrayList<>();
		List<String> test = new ArrayList<>();
		for (int i = 0; i < 45; i++) {
			String profile = UUID.randomUUID().toString();
			rows.add(order(profile, 1 + i % 5, "A", "B"));
			rows.add(event(profile, "Product Viewed", 6, "{\"product_id\":\"C\"}"));
			// two thirds buy C before the cut-off (the last event, day 59, minus 30
			// days), a third after it
			rows.add(order(profile, (i % 3 == 2) ? 45 : 10 + i % 7, "C"));
			if (i % 3 == 2) {
				test.add(profile);
			}
		}
		for (int i = 0; i < 60; i++) {
			rows.add(order(UUID.randomUUID().toString(), 2 + i % 9, "D", "E"));
		}
		// a visitor merged into a known person: its events count for the person
		UUID person = UUID.randomUUID();
		UUID visitor = UUID.randomUUID();
		rows.add(order(person.toString(), 3, "A"));
		rows.add(order(visitor.toString(), 4, "B"));
		rows.add(event(person.toString(), "Product Added", 59, "{\"product_id\":\"D\"}"));
		this.jdbc.update("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, 'identify')""", this.workspace, visitor, person);
		this.lake.mergeNew(this.spark.createDataFrame(rows, LakeTable.SCHEMA));
		this.jdbc
			.update("""
					insert into recommender.item (workspace_id, item_id, name, available) values (?, 'A', 'old name', false)""",
					this.workspace);

		HttpResponse<String> accepted = post("/v1/jobs/recommendations/runs", this.workspace,
				"{\"parameters\":{\"rank\":8,\"maxIter\":8,\"alpha\":5}}");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String runId = JSON.readTree(accepted.body()).get("runId").asString();
		JsonNode run = awaitFinished(runId, this.workspace);
		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("rowsIn").asLong()).isEqualTo(rows.size());
		JsonNode result = run.get("result");
		assertThat(result.get("versionId").asString()).isEqualTo(runId);

		Map<String, Object> version = this.jdbc.queryForMap("""
				select status, params::text as params, metrics::text as metrics, cutoff, interactions, users, items,
				       duration_ms, pinned
				  from recommender.model_version where version_id = ?::uuid and workspace_id = ?""", runId,
				this.workspace);
		assertThat(version.get("status")).isEqualTo("candidate");
		assertThat(version.get("pinned")).isEqualTo(false);
		assertThat(((Timestamp) version.get("cutoff")).toInstant()).isEqualTo(Instant.parse("2026-01-30T00:00:01Z"));
		assertThat(version.get("users")).isEqualTo(106);
		assertThat(version.get("items")).isEqualTo(5);
		assertThat((long) version.get("duration_ms")).isPositive();
		JsonNode params = JSON.readTree((String) version.get("params"));
		assertThat(params.get("rank").asInt()).isEqualTo(8);
		assertThat(params.get("alpha").asDouble()).isEqualTo(5.0);
		assertThat(params.get("seed").asLong()).isEqualTo(42);
		assertThat(params.get("weights").get("purchase").asDouble()).isEqualTo(5.0);
		assertThat(params.get("halfLifeDays").asDouble()).isEqualTo(90.0);
		JsonNode metrics = JSON.readTree((String) version.get("metrics"));
		assertThat(metrics.get("k").asInt()).isEqualTo(10);
		assertThat(metrics.get("testUsers").asInt()).isEqualTo(test.size());
		for (String model : List.of("als", "popularity", "itemKnn")) {
			for (String metric : List.of("precision", "recall", "ndcg", "map", "coverage")) {
				assertThat(metrics.get(model).get(metric).isNumber()).as(model + "." + metric).isTrue();
			}
		}
		// every test customer's only new item is C, and ALS ranks it first
		assertThat(metrics.get("als").get("ndcg").asDouble()).isEqualTo(1.0);

		List<Map<String, Object>> items = this.jdbc.queryForList("""
				select item_index, item_id, array_length(factors, 1) as rank, popularity
				  from recommender.model_item where version_id = ?::uuid order by item_index""", runId);
		assertThat(items).extracting((row) -> row.get("item_id")).containsExactly("A", "B", "C", "D", "E");
		assertThat(items).extracting((row) -> row.get("item_index")).containsExactly(0, 1, 2, 3, 4);
		assertThat(items).allSatisfy((row) -> assertThat(row.get("rank")).isEqualTo(8));
		assertThat((double) items.get(3).get("popularity")).isGreaterThan((double) items.get(2).get("popularity"));
		String buyer = test.get(0);
		assertThat(this.jdbc.queryForObject(
				"select array_to_string(purchased, ',') from recommender.model_user where version_id = ?::uuid and profile_id = ?::uuid",
				String.class, runId, buyer))
			.isEqualTo("A,B,C");
		assertThat(this.jdbc.queryForObject(
				"select array_to_string(purchased, ',') from recommender.model_user where version_id = ?::uuid and profile_id = ?",
				String.class, runId, person))
			.isEqualTo("A,B");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.model_user where version_id = ?::uuid and profile_id = ?", Long.class,
				runId, visitor))
			.isZero();
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.model_user where version_id = ?::uuid and workspace_id = ? and array_length(factors, 1) = 8",
				Long.class, runId, this.workspace))
			.isEqualTo(106);

		Map<String, Object> itemA = this.jdbc.queryForMap(
				"select name, category, brand, price, available from recommender.item where workspace_id = ? and item_id = 'A'",
				this.workspace);
		assertThat(itemA.get("name")).isEqualTo("Product A");
		assertThat(itemA.get("category")).isEqualTo("Kitchen");
		assertThat(itemA.get("brand")).isEqualTo("Acme");
		assertThat(((java.math.BigDecimal) itemA.get("price")).doubleValue()).isEqualTo(5.5);
		assertThat(itemA.get("available")).isEqualTo(false);
		assertThat(this.jdbc.queryForObject("select count(*) from recommender.item where workspace_id = ?", Long.class,
				this.workspace))
			.isEqualTo(5);
	}

	@Test
	void aWorkspaceWithoutEventsFailsLoudlyAndIsNotRetried() throws Exception {
		String empty = "empty-" + this.workspace;
		String runId = JSON.readTree(post("/v1/jobs/recommendations/runs", empty, null).body()).get("runId").asString();

		JsonNode run = awaitFinished(runId, empty);
		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("errorType").asString()).isEqualTo("invalid-data");
		assertThat(run.get("error").asString()).startsWith("no events to train on in this workspace");
		assertThat(run.has("retriedBy")).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from recommender.model_version where workspace_id = ?",
				Long.class, empty))
			.isZero();
		assertThat(post("/v1/jobs/recommendations/runs", empty, "{\"parameters\":{\"rank\":0}}").statusCode())
			.isEqualTo(400);
	}

	private JsonNode awaitFinished(String runId, String workspace) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
			last[0] = JSON
				.readTree(HTTP
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/runs/" + runId))
						.header("X-Lodestar-Workspace", workspace)
						.build(), HttpResponse.BodyHandlers.ofString())
					.body());
			String status = last[0].path("status").asString("");
			return status.equals("succeeded") || status.equals("failed");
		});
		return last[0];
	}

	private HttpResponse<String> post(String path, String workspace, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("X-Lodestar-Workspace", workspace);
		if (json != null) {
			request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
