package io.lodestar.ingestion.connector.management;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /v1/connectors} over HTTP on a real database: credentials go in and never come
 * out (responses, logs, the table holds them sealed), validation errors name each field,
 * runs are queued, run by the scheduler and listed page by page, and another workspace
 * sees nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "lodestar.ingestion.connectors.scheduler.tick=100ms")
@Import(ConnectorApiIT.Kinds.class)
@ExtendWith(OutputCaptureExtension.class)
class ConnectorApiIT {

	private static final String SECRET = "tok-s3cret-value-never-shown";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void credentialsGoInSealedAndNeverComeOut(CapturedOutput output) throws Exception {
		HttpResponse<String> created = call("POST", "/v1/connectors", "ws-api", """
				{"kind":"test-source","name":"Sealed %s","schedule":"0 4 * * *","settings":{"rows":2},
				 "credentials":{"token":"%s"}}""".formatted(UUID.randomUUID(), SECRET));

		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		String id = body.get("id").asString();
		assertThat(created.headers().firstValue("Location")).hasValue("/v1/connectors/" + id);
		assertThat(body.get("credentialsSet").toString()).isEqualTo("[\"token\"]");
		assertThat(body.get("status").asString()).isEqualTo("active");
		assertThat(body.get("settings").get("rows").asInt()).isEqualTo(2);
		assertThat(Instant.parse(body.get("nextRunAt").asString()).toString()).endsWith("T04:00:00Z");
		assertThat(created.body()).doesNotContain(SECRET);
		assertThat(call("GET", "/v1/connectors/" + id, "ws-api", null).body()).doesNotContain(SECRET);
		assertThat(call("GET", "/v1/connectors", "ws-api", null).body()).contains(id).doesNotContain(SECRET);
		byte[] stored = this.jdbc.sql("select credentials from connector where id = ?::uuid")
			.param(id)
			.query(byte[].class)
			.single();
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
		assertThat(output.getAll()).contains(id).doesNotContain(SECRET);
	}

	@Test
	void validationErrorsNameEachField() throws Exception {
		HttpResponse<String> response = call("POST", "/v1/connectors", "ws-api", """
				{"kind":"nope","name":" ","schedule":"every day","settings":[1],"credentials":{"token":5}}""");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("https://lodestar.io/problems/invalid-connector");
		assertThat(problem.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("kind", "name",
				"schedule", "settings", "credentials.token");

		JsonNode missing = JSON.readTree(call("POST", "/v1/connectors", "ws-api",
				"{\"kind\":\"test-source\",\"name\":\"n\",\"settings\":{\"rows\":-1}}")
			.body());
		assertThat(missing.get("errors").toString())
			.contains("\"field\":\"credentials.token\",\"message\":\"is required\"")
			.contains("\"field\":\"settings.rows\"");
	}

	@Test
	void unreadableBodiesAndMissingWorkspacesAreProblems() throws Exception {
		HttpResponse<String> unreadable = call("POST", "/v1/connectors", "ws-api", "{\"kind\":");
		assertThat(unreadable.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(unreadable.body()).get("type").asString())
			.isEqualTo("https://lodestar.io/problems/malformed-request");

		HttpResponse<String> noWorkspace = call("GET", "/v1/connectors", null, null);
		assertThat(noWorkspace.statusCode()).isEqualTo(400);
		assertThat(noWorkspace.body()).contains("missing-workspace");

		assertThat(call("GET", "/v1/connectors/not-a-uuid", "ws-api", null).statusCode()).isEqualTo(400);
		assertThat(call("GET", "/v1/connectors?limit=0", "ws-api", null).statusCode()).isEqualTo(400);
	}

	@Test
	void anotherWorkspaceSeesAndChangesNothing() throws Exception {
		String id = create("ws-api", "Private " + UUID.randomUUID());

		assertThat(call("GET", "/v1/connectors/" + id, "ws-other", null).statusCode()).isEqualTo(404);
		assertThat(call("PATCH", "/v1/connectors/" + id, "ws-other", "{\"name\":\"x\"}").statusCode()).isEqualTo(404);
		assertThat(call("POST", "/v1/connectors/" + id + "/runs", "ws-other", null).statusCode()).isEqualTo(404);
		assertThat(call("DELETE", "/v1/connectors/" + id, "ws-other", null).statusCode()).isEqualTo(404);
		assertThat(call("GET", "/v1/connectors", "ws-other", null).body()).doesNotContain(id);
		assertThat(call("GET", "/v1/connectors/" + id, "ws-api", null).statusCode()).isEqualTo(200);
	}

	@Test
	void updateMergesCredentialsAndRefusesATakenName() throws Exception {
		String name = "Update " + UUID.randomUUID();
		String id = create("ws-api", name);
		String other = create("ws-api", "Other " + UUID.randomUUID());

		HttpResponse<String> updated = call("PATCH", "/v1/connectors/" + id, "ws-api", "{\"name\":\"Renamed " + id
				+ "\",\"schedule\":\"@hourly\",\"credentials\":{\"secondary\":\"x-" + SECRET + "\"}}");

		assertThat(updated.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(updated.body());
		assertThat(body.get("name").asString()).isEqualTo("Renamed " + id);
		assertThat(body.get("schedule").asString()).isEqualTo("@hourly");
		assertThat(body.get("credentialsSet").toString()).isEqualTo("[\"secondary\",\"token\"]");
		assertThat(updated.body()).doesNotContain(SECRET);
		HttpResponse<String> clash = call("PATCH", "/v1/connectors/" + other, "ws-api",
				"{\"name\":\"Renamed " + id + "\"}");
		assertThat(clash.statusCode()).isEqualTo(409);
		assertThat(clash.body()).contains("connector-name-taken");
		assertThat(call("PATCH", "/v1/connectors/" + id, "ws-api", "{\"credentials\":{\"token\":null}}").body())
			.contains("credentials.token");
	}

	@Test
	void checkingTheConnectionSaysWhatTheSourceAnswered() throws Exception {
		String good = create("ws-api", "Good " + UUID.randomUUID());
		HttpResponse<String> bad = call("POST", "/v1/connectors", "ws-api", "{\"kind\":\"test-source\",\"name\":\"Bad "
				+ UUID.randomUUID() + "\",\"credentials\":{\"token\":\"bad\"}}");

		assertThat(JSON.readTree(call("POST", "/v1/connectors/" + good + "/test", "ws-api", null).body())
			.get("ok")
			.asBoolean()).isTrue();
		JsonNode failed = JSON.readTree(call("POST",
				"/v1/connectors/" + JSON.readTree(bad.body()).get("id").asString() + "/test", "ws-api", null)
			.body());
		assertThat(failed.get("ok").asBoolean()).isFalse();
		assertThat(failed.get("error").asString())
			.isEqualTo("Authentication failed: the test source rejected the token");
	}

	@Test
	void aTriggeredRunIsQueuedThenRunByTheSchedulerAndListedPageByPage() throws Exception {
		String id = create("ws-api", "Runs " + UUID.randomUUID());

		HttpResponse<String> first = call("POST", "/v1/connectors/" + id + "/runs", "ws-api", null);
		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(JSON.readTree(first.body()).get("status").asString()).isIn("queued");
		await().atMost(Duration.ofSeconds(20)).until(() -> lastRunStatus(id).equals("succeeded"));
		call("POST", "/v1/connectors/" + id + "/runs", "ws-api", null);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> JSON.readTree(call("GET", "/v1/connectors/" + id + "/runs", "ws-api", null).body())
				.get("items")
				.findValuesAsString("status")
				.equals(java.util.List.of("succeeded", "succeeded")));

		JsonNode page = JSON
			.readTree(call("GET", "/v1/connectors/" + id + "/runs?limit=1&offset=1", "ws-api", null).body());
		assertThat(page.get("total").asLong()).isEqualTo(2);
		assertThat(page.get("items")).hasSize(1);
		JsonNode run = page.get("items").get(0);
		assertThat(run.get("trigger").asString()).isEqualTo("manual");
		assertThat(run.get("rows").asLong()).isEqualTo(3);
		assertThat(run.get("pages").asInt()).isEqualTo(1);
		assertThat(run.get("startedAt").isNull()).isFalse();
		assertThat(run.get("finishedAt").isNull()).isFalse();
		assertThat(run.get("nextRunAt").isNull()).isFalse();
	}

	@Test
	void aPausedConnectorTakesNoRunUntilResumedAndADeletedOneIsGone() throws Exception {
		String id = create("ws-api", "Pause " + UUID.randomUUID());

		JsonNode paused = JSON.readTree(
				call("POST", "/v1/connectors/" + id + "/pause", "ws-api", "{\"reason\":\"agency audit\"}").body());
		assertThat(paused.get("status").asString()).isEqualTo("paused");
		assertThat(paused.get("pausedReason").asString()).isEqualTo("agency audit");
		HttpResponse<String> refused = call("POST", "/v1/connectors/" + id + "/runs", "ws-api", null);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("connector-paused");

		JsonNode resumed = JSON.readTree(call("POST", "/v1/connectors/" + id + "/resume", "ws-api", null).body());
		assertThat(resumed.get("status").asString()).isEqualTo("active");
		assertThat(resumed.get("nextRunAt").isNull()).isFalse();
		assertThat(call("POST", "/v1/connectors/" + id + "/runs", "ws-api", null).statusCode()).isEqualTo(202);

		assertThat(call("DELETE", "/v1/connectors/" + id, "ws-api", null).statusCode()).isEqualTo(204);
		assertThat(call("GET", "/v1/connectors/" + id, "ws-api", null).statusCode()).isEqualTo(404);
	}

	private String lastRunStatus(String id) throws Exception {
		JsonNode last = JSON.readTree(call("GET", "/v1/connectors/" + id, "ws-api", null).body()).get("lastRun");
		return (last == null || last.isNull()) ? "" : last.get("status").asString();
	}

	private String create(String workspace, String name) throws Exception {
		HttpResponse<String> response = call("POST", "/v1/connectors", workspace, """
				{"kind":"test-source","name":"%s","credentials":{"token":"%s"}}""".formatted(name, SECRET));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JSON.readTree(response.body()).get("id").asString();
	}

	private HttpResponse<String> call(String method, String path, String workspace, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (workspace != null) {
			request.header("X-Lodestar-Workspace", workspace);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Kinds {

		@Bean
		TestSource testSource() {
			return new TestSource();
		}

	}

}
