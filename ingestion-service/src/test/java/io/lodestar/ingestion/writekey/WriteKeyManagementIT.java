package io.lodestar.ingestion.writekey;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key created through the API collects events at once, is never shown again nor stored
 * in clear, and stops collecting as soon as it is revoked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WriteKeyManagementIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void createdKeyCollectsUntilItIsRevoked() throws Exception {
		String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> created = send("POST", "/internal/v1/workspaces/" + workspace + "/write-keys",
				"{\"sourceId\":\"web\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		String writeKey = body.path("writeKey").asString();
		String keyId = body.path("key").path("keyId").asString();
		assertThat(writeKey).hasSize(32);
		assertThat(created.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith(keyId));

		assertThat(track(writeKey).statusCode()).isEqualTo(200);
		HttpResponse<String> listed = send("GET", "/internal/v1/workspaces/" + workspace + "/write-keys", null);
		assertThat(listed.body()).contains(keyId).contains("\"sourceId\":\"web\"").doesNotContain(writeKey);
		assertThat(this.jdbc.queryForObject("select count(*) from ingestion.write_key where key_hash = ?", Long.class,
				writeKey))
			.as("the key is stored hashed only")
			.isZero();

		assertThat(send("DELETE", "/internal/v1/workspaces/" + workspace + "/write-keys/" + keyId, null).statusCode())
			.isEqualTo(204);
		assertThat(track(writeKey).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/internal/v1/workspaces/" + workspace + "/write-keys", null).body())
			.contains("\"revokedAt\":\"");
	}

	@Test
	void anotherWorkspaceCannotRevokeOrSeeTheKey() throws Exception {
		HttpResponse<String> created = send("POST", "/internal/v1/workspaces/owner/write-keys",
				"{\"sourceId\":\"app\"}");
		String keyId = JSON.readTree(created.body()).path("key").path("keyId").asString();

		assertThat(send("DELETE", "/internal/v1/workspaces/intruder/write-keys/" + keyId, null).statusCode())
			.isEqualTo(404);
		assertThat(send("GET", "/internal/v1/workspaces/intruder/write-keys", null).body()).doesNotContain(keyId);
	}

	@Test
	void thePathNamesTheRequestsOwnWorkspaceOnly() throws Exception {
		HttpResponse<String> created = send("POST", "/internal/v1/workspaces/owner/write-keys",
				"{\"sourceId\":\"app\"}");
		String keyId = JSON.readTree(created.body()).path("key").path("keyId").asString();

		// a request of workspace "intruder" naming the owner's path
		assertThat(send("GET", "/internal/v1/workspaces/owner/write-keys", null, "intruder").statusCode())
			.isEqualTo(404);
		assertThat(send("POST", "/internal/v1/workspaces/owner/write-keys", "{\"sourceId\":\"x\"}", "intruder")
			.statusCode()).isEqualTo(404);
		assertThat(send("DELETE", "/internal/v1/workspaces/owner/write-keys/" + keyId, null, "intruder").statusCode())
			.isEqualTo(404);
		assertThat(send("GET", "/internal/v1/workspaces/owner/write-keys", null).body()).contains(keyId)
			.doesNotContain("revokedAt\":\"")
			.doesNotContain("\"sourceId\":\"x\"");
	}

	@Test
	void invalidRequestsAreProblems() throws Exception {
		HttpResponse<String> noSource = send("POST", "/internal/v1/workspaces/ws/write-keys", "{}");
		HttpResponse<String> badWorkspace = send("POST", "/internal/v1/workspaces/bad%20ws/write-keys",
				"{\"sourceId\":\"web\"}");

		assertThat(noSource.statusCode()).isEqualTo(400);
		assertThat(noSource.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(badWorkspace.statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> track(String writeKey) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/track"))
			.header("Content-Type", "application/json")
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"x\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** As the gateway sends it: the path's workspace is the request's. */
	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		String workspace = URLDecoder.decode(path.split("/")[4], StandardCharsets.UTF_8);
		return send(method, path, body, workspace);
	}

	private HttpResponse<String> send(String method, String path, String body, String workspace) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.header(Workspace.HEADER, workspace)
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
