package io.lodestar.gateway.access;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.gateway.StubService;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access through the running gateway on a real PostgreSQL: login and tokens, roles and
 * permissions, workspaces, API keys, the audit log, path and header hygiene.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessIT {

	private static final String ADMIN_PASSWORD = "access-admin-password";

	private static final StubService SERVICES = StubService.start("service");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("spring.flyway.schemas", () -> "gateway_access");
		registry.add("spring.flyway.default-schema", () -> "gateway_access");
		registry.add("spring.datasource.hikari.schema", () -> "gateway_access");
		registry.add("lodestar.gateway.security.admin.password", () -> ADMIN_PASSWORD);
		registry.add("lodestar.gateway.security.admin.workspace", () -> "acme");
		registry.add("lodestar.gateway.security.cors-origins", () -> "https://dashboard.example");
		for (String service : new String[] { "ingestion", "profile", "segment", "recommender", "etl" }) {
			registry.add("lodestar.gateway." + service + "-url", SERVICES::url);
		}
	}

	@AfterAll
	static void stop() {
		SERVICES.close();
	}

	@BeforeEach
	void clear() {
		StubService.clear();
	}

	@Test
	void withoutCredentialsEveryApiPathIsA401ProblemAndNothingReachesAService() throws Exception {
		for (String path : new String[] { "/v1/profiles?userId=u-1", "/v1/segments", "/v1/privacy/requests",
				"/v1/ltv/distribution", "/v1/jobs/rfm/runs/latest", "/v1/recommendations/profiles/p-1",
				"/v1/connectors", "/v1/users", "/v1/api-keys", "/v1/audit", "/v1/auth/me", "/v1/write-keys" }) {
			HttpResponse<String> response = get(path, null, "acme");

			assertThat(response.statusCode()).as(path).isEqualTo(401);
			assertProblem(response, "unauthorized");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
		}
		assertThat(StubService.nothingReceived()).isTrue();
	}

	@Test
	void tamperedForeignMalformedAndUnsignedTokensAre401() throws Exception {
		String token = login("admin", ADMIN_PASSWORD).get("accessToken").asString();
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String forged = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replace("\"admin\"", "\"admin\",\"x\":1")
				.replace("acme", "evil")
				.getBytes(StandardCharsets.UTF_8));
		String unsignedHeader = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
		String otherSecret = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJsb2Rlc3RhciIsInN1YiI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMSIs"
				+ "InR5cCI6ImFjY2VzcyIsImV4cCI6NDEwMjQ0NDgwMCwid3MiOnsiYWNtZSI6ImFkbWluIn19."
				+ "c2lnbmVkLXdpdGgtYW5vdGhlci1zZWNyZXQtMDEyMzQ1Njc4OQ";

		for (String bad : new String[] { parts[0] + "." + forged + "." + parts[2],
				unsignedHeader + "." + parts[1] + ".", otherSecret, "not-a-token",
				token.substring(0, token.length() - 2) }) {
			HttpResponse<String> response = get("/v1/profiles?userId=u-1", bad, "acme");
			assertThat(response.statusCode()).as(bad).isEqualTo(401);
			assertProblem(response, "unauthorized");
		}
		assertThat(get("/v1/profiles?userId=u-1", token, "acme").statusCode()).isEqualTo(200);
	}

	@Test
	void wrongPasswordIsA401AndRefreshTokensAreSingleUse() throws Exception {
		HttpResponse<String> wrong = post("/v1/auth/login", null, null,
				"{\"username\":\"admin\",\"password\":\"not-the-password\"}");
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertProblem(wrong, "unauthorized");
		assertThat(wrong.body()).doesNotContain("not-the-password");

		JsonNode session = login("admin", ADMIN_PASSWORD);
		String first = session.get("refreshToken").asString();
		HttpResponse<String> refreshed = post("/v1/auth/refresh", null, null, "{\"refreshToken\":\"" + first + "\"}");
		assertThat(refreshed.statusCode()).isEqualTo(200);
		String second = JSON.readTree(refreshed.body()).get("refreshToken").asString();
		assertThat(get("/v1/auth/me", JSON.readTree(refreshed.body()).get("accessToken").asString(), null).body())
			.contains("\"username\":\"admin\"")
			.contains("\"role\":\"admin\"");

		HttpResponse<String> replayed = post("/v1/auth/refresh", null, null, "{\"refreshToken\":\"" + first + "\"}");
		assertThat(replayed.statusCode()).as("a replaced token used again").isEqualTo(401);
		HttpResponse<String> family = post("/v1/auth/refresh", null, null, "{\"refreshToken\":\"" + second + "\"}");
		assertThat(family.statusCode()).as("the replay revoked the whole family").isEqualTo(401);

		String third = login("admin", ADMIN_PASSWORD).get("refreshToken").asString();
		assertThat(post("/v1/auth/logout", null, null, "{\"refreshToken\":\"" + third + "\"}").statusCode())
			.isEqualTo(204);
		assertThat(post("/v1/auth/refresh", null, null, "{\"refreshToken\":\"" + third + "\"}").statusCode())
			.isEqualTo(401);
	}

	@Test
	void eachRoleGetsExactlyItsPermissions() throws Exception {
		String admin = adminToken();
		String viewer = member(admin, "vera-viewer", "viewer");
		String marketer = member(admin, "max-marketer", "marketer");
		String analyst = member(admin, "ana-analyst", "analyst");

		assertThat(get("/v1/profiles?userId=u-1", viewer, "acme").statusCode()).isEqualTo(200);
		HttpResponse<String> denied = post("/v1/segments", viewer, "acme", "{}");
		assertThat(denied.statusCode()).isEqualTo(403);
		assertProblem(denied, "forbidden");
		assertThat(denied.body()).contains("segments:write");
		assertThat(post("/v1/segments", marketer, "acme", "{}").statusCode()).isEqualTo(200);
		assertThat(post("/v1/profiles/export", marketer, "acme", "{}").statusCode()).isEqualTo(200);
		assertThat(post("/v1/profiles/export", analyst, "acme", "{}").statusCode()).isEqualTo(403);
		assertThat(post("/v1/privacy/requests", marketer, "acme", "{}").statusCode()).isEqualTo(403);
		assertThat(post("/v1/privacy/requests", admin, "acme", "{}").statusCode()).isEqualTo(200);
		assertThat(post("/v1/jobs/rfm/runs", analyst, "acme", "{}").statusCode()).isEqualTo(200);
		assertThat(post("/v1/jobs/rfm/runs", marketer, "acme", "{}").statusCode()).isEqualTo(403);
		assertThat(get("/v1/connectors", analyst, "acme").statusCode()).isEqualTo(200);
		assertThat(post("/v1/connectors", analyst, "acme", "{}").statusCode()).isEqualTo(403);
		assertThat(get("/v1/users", marketer, "acme").statusCode()).isEqualTo(403);
		assertThat(get("/v1/audit", analyst, "acme").statusCode()).isEqualTo(403);
		assertThat(post("/v1/api-keys", marketer, "acme", "{\"name\":\"k\",\"permissions\":[\"profiles:read\"]}")
			.statusCode()).isEqualTo(403);
	}

	@Test
	void aCallerActsOnlyInItsOwnWorkspaces() throws Exception {
		String admin = adminToken();

		HttpResponse<String> other = get("/v1/profiles?userId=u-1", admin, "globex");
		assertThat(other.statusCode()).isEqualTo(403);
		assertProblem(other, "forbidden");
		assertThat(get("/v1/segments", admin, "no such workspace!").statusCode()).isEqualTo(400);
		assertThat(StubService.nothingReceived()).isTrue();

		assertThat(get("/v1/segments", admin, null).statusCode()).as("a user's only workspace is the default")
			.isEqualTo(200);
		StubService.Received received = StubService.next();
		assertThat(received.workspace()).isEqualTo("acme");
		assertThat(received.actor()).startsWith("user:");
		assertThat(received.authorization()).isNull();
	}

	@Test
	void forgedActorHeadersAreReplacedAndCredentialsNeverForwarded() throws Exception {
		String admin = adminToken();
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/v1/segments"))
			.header("Authorization", "Bearer " + admin)
			.header("X-Lodestar-Workspace", "acme")
			.header("X-Lodestar-Actor", "user:somebody-else")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		StubService.Received received = StubService.next();
		assertThat(received.actor()).isNotEqualTo("user:somebody-else").startsWith("user:");
		assertThat(received.authorization()).isNull();
	}

	@Test
	void apiKeysCarryTheirPermissionsInTheirWorkspaceAndStopWhenRevokedOrRotated() throws Exception {
		String admin = adminToken();
		HttpResponse<String> created = post("/v1/api-keys", admin, "acme",
				"{\"name\":\"website\",\"permissions\":[\"profiles:read\"]}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		String key = body.get("secret").asString();
		String id = body.get("key").get("id").asString();
		assertThat(key).startsWith("lsk_");
		assertThat(get("/v1/api-keys", admin, "acme").body()).contains(id).doesNotContain(key);

		assertThat(apiKeyGet("/v1/profiles?userId=u-1", key, null).statusCode()).isEqualTo(200);
		assertThat(StubService.next().workspace()).isEqualTo("acme");
		assertThat(apiKeyGet("/v1/profiles?userId=u-1", key, "globex").statusCode()).isEqualTo(403);
		assertThat(apiKeyGet("/v1/segments", key, null).statusCode()).isEqualTo(403);
		HttpResponse<String> unknown = post("/v1/api-keys", admin, "acme",
				"{\"name\":\"x\",\"permissions\":[\"profiles:read\",\"rule:the-world\"]}");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("rule:the-world");

		HttpResponse<String> rotated = post("/v1/api-keys/" + id + "/rotate", admin, "acme", "");
		assertThat(rotated.statusCode()).isEqualTo(200);
		String newKey = JSON.readTree(rotated.body()).get("secret").asString();
		assertThat(apiKeyGet("/v1/profiles?userId=u-1", key, null).statusCode()).isEqualTo(401);
		assertThat(apiKeyGet("/v1/profiles?userId=u-1", newKey, null).statusCode()).isEqualTo(200);

		assertThat(send("DELETE", "/v1/api-keys/" + id, admin, "acme", null).statusCode()).isEqualTo(204);
		HttpResponse<String> revoked = apiKeyGet("/v1/profiles?userId=u-1", newKey, null);
		assertThat(revoked.statusCode()).isEqualTo(401);
		assertProblem(revoked, "unauthorized");
	}

	@Test
	void changesExportsAndDenialsAreAuditedWithoutPersonalData() throws Exception {
		String admin = adminToken();
		String marketer = member(admin, "mia-marketer", "marketer");
		assertThat(post("/v1/segments", marketer, "acme", "{}").statusCode()).isEqualTo(200);
		assertThat(send("PUT", "/v1/profiles/jane.doe@example.com/consent", marketer, "acme", "{}").statusCode())
			.isEqualTo(200);
		assertThat(get("/v1/profiles?email=jane.doe@example.com", marketer, "acme").statusCode()).isEqualTo(200);
		assertThat(post("/v1/privacy/requests", marketer, "acme", "{}").statusCode()).isEqualTo(403);

		HttpResponse<String> audit = get("/v1/audit?limit=50", admin, "acme");
		assertThat(audit.statusCode()).isEqualTo(200);
		JsonNode entries = JSON.readTree(audit.body()).get("entries");
		String log = entries.toString();
		assertThat(log).contains("\"method\":\"POST\",\"path\":\"/v1/segments\",\"status\":200")
			.contains("\"path\":\"/v1/profiles/*/consent\"")
			.contains("\"path\":\"/v1/privacy/requests\",\"status\":403")
			.doesNotContain("jane")
			.doesNotContain("mia-marketer");
		assertThat(entries.get(0).get("actor").asString()).startsWith("user:");
		assertThat(entries.get(0).get("requestId").asString()).isNotBlank();
		assertThat(get("/v1/audit", admin, "globex").statusCode()).isEqualTo(403);
	}

	@Test
	void writeKeysAreManagedOnlyInTheCallersWorkspace() throws Exception {
		String admin = adminToken();
		assertThat(post("/v1/write-keys", admin, "acme", "{\"source\":\"web\"}").statusCode()).isEqualTo(200);
		StubService.Received received = StubService.next();
		assertThat(received.path()).isEqualTo("/internal/v1/workspaces/acme/write-keys");
		assertThat(send("DELETE", "/v1/write-keys/k-1", admin, "acme", null).statusCode()).isEqualTo(200);
		assertThat(StubService.next().path()).isEqualTo("/internal/v1/workspaces/acme/write-keys/k-1");
	}

	@Test
	void nonCanonicalPathsAreRefusedBeforeRouting() throws Exception {
		String admin = adminToken();
		for (String path : new String[] { "/v1/jobs/%2e%2e/%2e%2e/internal/v1/lake/erasures",
				"/v1/jobs/..%2F..%2Finternal/v1/lake/events", "/v1/profiles//x", "/v1/profiles;x=1" }) {
			HttpResponse<String> response = get(path, admin, "acme");
			assertThat(response.statusCode()).as(path).isEqualTo(400);
		}
		assertThat(StubService.nothingReceived()).isTrue();
	}

	@Test
	void responsesCarrySecurityHeadersAndCorsServesOnlyTheConfiguredOrigin() throws Exception {
		HttpResponse<String> api = get("/v1/segments", adminToken(), "acme");
		assertThat(api.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(api.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(api.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(get("/", null, null).headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((csp) -> assertThat(csp).contains("default-src 'self'"));

		HttpResponse<String> allowed = preflight("https://dashboard.example");
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dashboard.example");
		HttpResponse<String> refused = preflight("https://evil.example");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void aUserOpensANewWorkspaceAndAdministersItAfterRefreshing() throws Exception {
		String viewer = member(adminToken(), "otto-opener", "viewer");
		assertThat(post("/v1/workspaces", viewer, null, "{\"id\":\"acme\"}").statusCode()).isEqualTo(409);
		assertThat(post("/v1/workspaces", viewer, null, "{\"id\":\"bad id\"}").statusCode()).isEqualTo(400);
		assertThat(post("/v1/workspaces", viewer, null, "{\"id\":\"otto-lab\"}").statusCode()).isEqualTo(201);

		assertThat(get("/v1/users", viewer, "otto-lab").statusCode()).as("the old token lacks the new role")
			.isEqualTo(403);
		String refreshed = login("otto-opener", "otto-opener-password").get("accessToken").asString();
		assertThat(get("/v1/users", refreshed, "otto-lab").statusCode()).isEqualTo(200);
		assertThat(get("/v1/users", refreshed, "acme").statusCode()).isEqualTo(403);
	}

	@Test
	void theLastAdminCannotBeRemovedOrDemoted() throws Exception {
		String admin = adminToken();
		String id = JSON.readTree(get("/v1/auth/me", admin, null).body()).get("id").asString();
		assertThat(send("PUT", "/v1/users/" + id, admin, "acme", "{\"role\":\"viewer\"}").statusCode()).isEqualTo(409);
		assertThat(send("DELETE", "/v1/users/" + id, admin, "acme", null).statusCode()).isEqualTo(409);
	}

	private String adminToken() throws Exception {
		return login("admin", ADMIN_PASSWORD).get("accessToken").asString();
	}

	private String member(String admin, String username, String role) throws Exception {
		HttpResponse<String> added = post("/v1/users", admin, "acme", "{\"username\":\"" + username + "\",\"role\":\""
				+ role + "\",\"password\":\"" + username + "-password\"}");
		assertThat(added.statusCode()).isIn(201, 409);
		return login(username, username + "-password").get("accessToken").asString();
	}

	private JsonNode login(String username, String password) throws Exception {
		HttpResponse<String> response = post("/v1/auth/login", null, null,
				"{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> preflight(String origin) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri("/v1/segments"))
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> apiKeyGet(String path, String key, String workspace)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("X-Api-Key", key).GET();
		if (workspace != null) {
			request.header("X-Lodestar-Workspace", workspace);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String token, String workspace)
			throws IOException, InterruptedException {
		return send("GET", path, token, workspace, null);
	}

	private HttpResponse<String> post(String path, String token, String workspace, String body)
			throws IOException, InterruptedException {
		return send("POST", path, token, workspace, body);
	}

	private HttpResponse<String> send(String method, String path, String token, String workspace, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (workspace != null) {
			request.header("X-Lodestar-Workspace", workspace);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static void assertProblem(HttpResponse<String> response, String type) {
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("application/problem+json"));
		assertThat(response.body()).contains("https://lodestar.io/problems/" + type);
	}

}
