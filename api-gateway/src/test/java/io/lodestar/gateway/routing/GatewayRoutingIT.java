package io.lodestar.gateway.routing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.gateway.StubService;
import io.lodestar.infra.launch.Ports;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against real HTTP servers standing in for the services and a real
 * PostgreSQL: paths, methods, headers and bodies are forwarded for a signed-in caller; an
 * unreachable service is a 503 problem.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingIT {

	static final String ADMIN_PASSWORD = "routing-admin-password";

	private static final StubService INGESTION = StubService.start("ingestion");

	private static final StubService PROFILE = StubService.start("profile");

	private static final StubService RECOMMENDER = StubService.start("recommender");

	private static final StubService ETL = StubService.start("etl");

	private static final int NOBODY = Ports.free();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private String token;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("spring.flyway.schemas", () -> "gateway_routing");
		registry.add("spring.flyway.default-schema", () -> "gateway_routing");
		registry.add("spring.datasource.hikari.schema", () -> "gateway_routing");
		registry.add("lodestar.gateway.security.admin.password", () -> ADMIN_PASSWORD);
		registry.add("lodestar.gateway.security.admin.workspace", () -> "demo");
		registry.add("lodestar.gateway.ingestion-url", INGESTION::url);
		registry.add("lodestar.gateway.profile-url", PROFILE::url);
		registry.add("lodestar.gateway.segment-url", () -> "http://127.0.0.1:" + NOBODY);
		registry.add("lodestar.gateway.recommender-url", RECOMMENDER::url);
		registry.add("lodestar.gateway.etl-url", ETL::url);
	}

	@AfterAll
	static void stop() {
		for (StubService server : new StubService[] { INGESTION, PROFILE, RECOMMENDER, ETL }) {
			server.close();
		}
	}

	@BeforeEach
	void signIn() throws Exception {
		StubService.clear();
		if (this.token == null) {
			HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/v1/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")));
			assertThat(login.statusCode()).isEqualTo(200);
			this.token = JSON.readTree(login.body()).get("accessToken").asString();
		}
	}

	@Test
	void forwardsCollectorCallsWithAuthorizationAndBody() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/track"))
			.header("Authorization", "Basic d2s6")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"x\"}")));

		assertThat(response.statusCode()).isEqualTo(200);
		StubService.Received received = StubService.next();
		assertThat(received.service()).isEqualTo("ingestion");
		assertThat(received.method()).isEqualTo("POST");
		assertThat(received.path()).isEqualTo("/v1/track");
		assertThat(received.authorization()).isEqualTo("Basic d2s6");
		assertThat(received.body()).isEqualTo("{\"userId\":\"u\",\"event\":\"x\"}");
		assertThat(received.requestId()).isNotBlank();
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue(received.requestId());
	}

	@Test
	void forwardsEveryOneLetterCollectorRoute() throws Exception {
		for (String path : new String[] { "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a", "/v1/b", "/v1/batch",
				"/v1/import", "/v1/import/", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias" }) {
			send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString("{}")));
			StubService.Received received = StubService.next();
			assertThat(received.service()).isEqualTo("ingestion");
			assertThat(received.path()).isEqualTo(path);
		}
	}

	@Test
	void routesEachPathFamilyToItsServiceWithItsMethod() throws Exception {
		String[][] cases = { { "GET", "/v1/projects/wk-1/settings", "ingestion" },
				{ "GET", "/v1/profiles/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/events", "profile" },
				{ "PUT", "/v1/profiles/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/consent", "profile" },
				{ "GET", "/v1/privacy/requests/r-1", "profile" }, { "GET", "/v1/ltv/distribution", "profile" },
				{ "GET", "/v1/analytics/kpis", "profile" }, { "POST", "/v1/analytics/funnels", "profile" },
				{ "GET", "/v1/recommendations/p-1", "recommender" }, { "PUT", "/v1/jobs/j-1", "etl" },
				{ "DELETE", "/v1/jobs/j-1", "etl" } };
		for (String[] expected : cases) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri(expected[1]))
				.header("Authorization", "Bearer " + this.token)
				.header("X-Lodestar-Workspace", "demo")
				.method(expected[0], expected[0].equals("PUT") ? HttpRequest.BodyPublishers.ofString("{\"run\":true}")
						: HttpRequest.BodyPublishers.noBody()));

			assertThat(response.statusCode()).isEqualTo(200);
			StubService.Received received = StubService.next();
			assertThat(received.service()).isEqualTo(expected[2]);
			assertThat(received.method()).isEqualTo(expected[0]);
			assertThat(received.path()).isEqualTo(expected[1]);
			assertThat(received.workspace()).isEqualTo("demo");
			if (!expected[2].equals("ingestion")) {
				// the collector's paths are open: it checks write keys itself
				assertThat(received.actor()).startsWith("user:");
				assertThat(received.authorization()).as("credentials stay at the gateway").isNull();
			}
			assertThat(received.body()).isEqualTo(expected[0].equals("PUT") ? "{\"run\":true}" : "");
		}
	}

	@Test
	void reportsReadiness() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
		assertThat(StubService.nothingReceived()).isTrue();
	}

	@Test
	void forwardsProfileLookupsWithQueryAndWorkspace() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/profiles?userId=u-42"))
			.header("Authorization", "Bearer " + this.token)
			.header("X-Lodestar-Workspace", "demo")
			.header("X-Request-Id", "client-request-0001")
			.GET());

		assertThat(response.statusCode()).isEqualTo(200);
		StubService.Received received = StubService.next();
		assertThat(received.service()).isEqualTo("profile");
		assertThat(received.path()).isEqualTo("/v1/profiles");
		assertThat(received.query()).isEqualTo("userId=u-42");
		assertThat(received.workspace()).isEqualTo("demo");
		assertThat(received.requestId()).isEqualTo("client-request-0001");
	}

	@Test
	void unreachableServiceIsA503Problem() throws Exception {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(uri("/v1/segments")).header("Authorization", "Bearer " + this.token).GET());

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(response.body()).contains("https://lodestar.io/problems/service-unavailable")
			.doesNotContain("127.0.0.1:" + NOBODY);
	}

	@Test
	void servesTheDashboardAtTheRootWithItsAssets() throws Exception {
		HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/")).GET());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<div id=\"root\"></div>");
		Matcher script = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(page.body());
		assertThat(script.find()).as("index.html references its bundled script").isTrue();
		HttpResponse<String> asset = send(HttpRequest.newBuilder(uri("/" + script.group(1))).GET());
		assertThat(asset.statusCode()).isEqualTo(200);
		assertThat(asset.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).contains("javascript"));
		assertThat(StubService.nothingReceived()).isTrue();
	}

	@Test
	void servesOneOpenApiDocumentOfTheWholeApiAndSwaggerUi() throws Exception {
		HttpResponse<String> document = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET());

		assertThat(document.statusCode()).isEqualTo(200);
		var openApi = JSON.readTree(document.body());
		assertThat(openApi.path("paths").has("/v1/auth/login")).isTrue();
		assertThat(openApi.path("paths").has("/v1/api-keys")).isTrue();
		assertThat(openApi.at("/components/securitySchemes/bearer/type").asString()).isEqualTo("http");
		// the stand-ins answer no OpenAPI document and one service is down: named, not
		// fatal
		assertThat(openApi.path("x-lodestar-unavailable").toString()).contains("segment", "profile");

		HttpResponse<String> ui = send(HttpRequest.newBuilder(uri("/swagger-ui/index.html")).GET());
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).containsIgnoringCase("swagger");
	}

	@Test
	void unknownPathIsA404Problem() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nothing-here")).GET());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("https://lodestar.io/problems/not-found");
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
