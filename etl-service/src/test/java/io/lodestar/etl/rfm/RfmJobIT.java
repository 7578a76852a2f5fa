package io.lodestar.etl.rfm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFM job on the real schema (profile-service's migrations): purchases as the
 * pipeline writes them, a run through the REST API, every buyer scored and tiered, a
 * second run and the movement between the two, and a workspace without enough buyers
 * refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "lodestar.etl.streaming.enabled=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RfmJobIT {

	private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "rfm-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "rfm-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		OwnerSchema.profile();
	}

	@Test
	void buyersAreScoredAndTieredAndMovementIsReported() throws Exception {
		Random random = new Random(7);
		Instant end = Instant.parse("2026-06-30T00:00:00Z");
		List<UUID> buyers = new java.util.ArrayList<>();
		for (int i = 0; i < 300; i++) {
			UUID profile = UUID.randomUUID();
			buyers.add(profile);
			this.jdbc.update("""
					insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
					values (?, ?, now(), now(), 1)""", this.workspace, profile);
			// a third buy often and recently, a third now and then, a third once long ago
			int orders = (i % 3 == 0) ? 8 + random.nextInt(10) : (i % 3 == 1) ? 2 + random.nextInt(3) : 1;
			int lastDaysAgo = (i % 3 == 0) ? random.nextInt(20)
					: (i % 3 == 1) ? 30 + random.nextInt(90) : 200 + random.nextInt(150);
			for (int o = 0; o < orders; o++) {
				this.jdbc.update(
						"""
								insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
								values (?, ?, ?, 'track', 'Order Completed', ?, jsonb_build_object('revenue', ?))""",
						this.workspace, UUID.randomUUID(), profile,
						Timestamp.from(end.minus(lastDaysAgo + 7L * o, ChronoUnit.DAYS)),
						(i % 3 == 0) ? 80 + random.nextInt(200) : 20 + random.nextInt(40));
			}
		}

		var first = post("/v1/jobs/rfm/runs?kMin=2&kMax=4");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains("\"customers\":300").contains("\"silhouette\"");
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile_rfm where workspace_id = ?",
				Long.class, this.workspace))
			.isEqualTo(300);
		// the frequent recent big spenders share the top tier
		List<String> frequentTiers = this.jdbc.queryForList(
				"select distinct tier from profile.profile_rfm where workspace_id = ? and profile_id in (?, ?, ?)",
				String.class, this.workspace, buyers.get(0), buyers.get(3), buyers.get(6));
		assertThat(frequentTiers).containsExactly("Champions");
		Map<String, Object> lapsed = this.jdbc.queryForMap(
				"select tier, r_score, f_score from profile.profile_rfm where workspace_id = ? and profile_id = ?",
				this.workspace, buyers.get(2));
		assertThat(lapsed.get("tier")).isNotEqualTo("Champions");
		assertThat(((Number) lapsed.get("r_score")).intValue()).isLessThanOrEqualTo(2);

		assertThat(post("/v1/jobs/rfm/runs?kMin=2&kMax=4").statusCode()).isEqualTo(200);
		var movement = HTTP.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/rfm/movement"))
			.header("X-Lodestar-Workspace", this.workspace)
			.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(movement.statusCode()).isEqualTo(200);
		assertThat(movement.body()).contains("\"from\":\"Champions\",\"to\":\"Champions\"");
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile_rfm_history where workspace_id = ?",
				Long.class, this.workspace))
			.isEqualTo(600);

		var latest = HTTP.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/rfm/runs/latest"))
			.header("X-Lodestar-Workspace", this.workspace)
			.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(latest.statusCode()).isEqualTo(200);
		assertThat(latest.body()).contains("\"customers\":300").contains("\"name\":\"Champions\"");
		var none = HTTP.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/rfm/runs/latest"))
			.header("X-Lodestar-Workspace", "none-" + this.workspace)
			.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(none.statusCode()).isEqualTo(204);
		var empty = HTTP.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/rfm/runs"))
			.header("X-Lodestar-Workspace", "empty-" + this.workspace)
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
			.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(empty.statusCode()).isEqualTo(422);
		assertThat(empty.body()).contains("not-enough-data");
		// the runs are the scheduler's: the first run's id is its job run, the refused
		// one
		// failed loudly and was not retried
		String firstRunId = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(first.body())
			.get("runId")
			.asString();
		assertThat(this.jdbc.queryForMap(
				"select status, trigger, rows_in, rows_out from etl.job_run where run_id = ?::uuid and workspace_id = ?",
				firstRunId, this.workspace))
			.containsEntry("status", "succeeded")
			.containsEntry("trigger", "manual")
			.containsEntry("rows_out", 300L);
		assertThat(this.jdbc.queryForObject("select rows_in from etl.job_run where run_id = ?::uuid", Long.class,
				firstRunId))
			.isEqualTo(this.jdbc.queryForObject(
					"select count(*) from profile.profile_event where workspace_id = ? and event_name = 'Order Completed'",
					Long.class, this.workspace));
		assertThat(this.jdbc.queryForList("select status || '/' || error_type from etl.job_run where workspace_id = ?",
				String.class, "empty-" + this.workspace))
			.containsExactly("failed/invalid-data");
	}

	@Test
	void theGenericTriggerRunsRfmAsynchronouslyWhenAskedTo() throws Exception {
		var accepted = HTTP.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/rfm/runs"))
			.header("X-Lodestar-Workspace", "async-" + this.workspace)
			.header("Prefer", "respond-async")
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"parameters\":{\"kMin\":2,\"kMax\":3}}"))
			.build(), java.net.http.HttpResponse.BodyHandlers.ofString());

		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(accepted.body()).contains("\"job\":\"rfm\"").contains("\"kMin\":2");
		String runId = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(accepted.body())
			.get("runId")
			.asString();
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(60))
			.until(() -> "failed".equals(this.jdbc
				.queryForObject("select status from etl.job_run where run_id = ?::uuid", String.class, runId)));
		assertThat(
				this.jdbc.queryForObject("select error from etl.job_run where run_id = ?::uuid", String.class, runId))
			.startsWith("RFM needs purchases");
		var badK = post("/v1/jobs/rfm/runs?kMin=5&kMax=3");
		assertThat(badK.statusCode()).isEqualTo(400);
		assertThat(badK.body()).contains("2 <= kMin <= kMax <= 12");
	}

	private java.net.http.HttpResponse<String> post(String path) throws Exception {
		return HTTP
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + path))
				.header("X-Lodestar-Workspace", this.workspace)
				.POST(java.net.http.HttpRequest.BodyPublishers.noBody())
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
	}

}
