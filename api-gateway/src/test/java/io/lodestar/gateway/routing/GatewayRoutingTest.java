package io.lodestar.gateway.routing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.infra.launch.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against a real HTTP server standing in for the services: paths, methods,
 * headers and bodies are forwarded; an unreachable service is a 503 problem.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingTest {

	private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();

	private static final HttpServer INGESTION = start("ingestion");

	private static final HttpServer PROFILE = start("profile");

	private static final HttpServer RECOMMENDER = start("recommender");

	private static final HttpServer ETL = start("etl");

	private static final int NOBODY = Ports.free();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		registry.add("lodestar.gateway.ingestion-url", () -> url(INGESTION));
		registry.add("lodestar.gateway.profile-url", () -> url(PROFILE));
		registry.add("lodestar.gateway.segment-url", () -> "http://127.0.0.1:" + NOBODY);
		registry.add("lodestar.gateway.recommender-url", () -> url(RECOMMENDER));
		registry.add("lodestar.gateway.etl-url", () -> url(ETL));
	}

	@AfterAll
	static void stop() {
		for (HttpServer server : new HttpServer[] { INGESTION, PROFILE, RECOMMENDER, ETL }) {
			server.stop(0);
		}
	}

	@BeforeEach
	void clear() {
		RECEIVED.clear();
	}

	@Test
	void forwardsCollectorCallsWithAuthorizationAndBody() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/track"))
			.header("Authorization", "Basic d2s6")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"x\"}")));

		assertThat(response.statusCode()).isEqualTo(200);
		Received received = RECEIVED.poll(5, TimeUnit.SECONDS);
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
			Received received = RECEIVED.poll(5, TimeUnit.SECONDS);
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
				{ "GET", "/v1/recommendations/p-1", "recommender" }, { "PUT", "/v1/jobs/j-1", "etl" },
				{ "DELETE", "/v1/jobs/j-1", "etl" } };
		for (String[] expected : cases) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri(expected[1]))
				.header("X-Lodestar-Workspace", "demo")
				.method(expected[0], expected[0].equals("PUT") ? HttpRequest.BodyPublishers.ofString("{\"run\":true}")
						: HttpRequest.BodyPublishers.noBody()));

			assertThat(response.statusCode()).isEqualTo(200);
			Received received = RECEIVED.poll(5, TimeUnit.SECONDS);
			assertThat(received.service()).isEqualTo(expected[2]);
			assertThat(received.method()).isEqualTo(expected[0]);
			assertThat(received.path()).isEqualTo(expected[1]);
			assertThat(received.workspace()).isEqualTo("demo");
			assertThat(received.body()).isEqualTo(expected[0].equals("PUT") ? "{\"run\":true}" : "");
		}
	}

	@Test
	void reportsReadiness() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
		assertThat(RECEIVED).isEmpty();
	}

	@Test
	void forwardsProfileLookupsWithQueryAndWorkspace() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/profiles?userId=u-42"))
			.header("X-Lodestar-Workspace", "demo")
			.header("X-Request-Id", "client-request-0001")
			.GET());

		assertThat(response.statusCode()).isEqualTo(200);
		Received received = RECEIVED.poll(5, TimeUnit.SECONDS);
		assertThat(received.service()).isEqualTo("profile");
		assertThat(received.path()).isEqualTo("/v1/profiles");
		assertThat(received.query()).isEqualTo("userId=u-42");
		assertThat(received.workspace()).isEqualTo("demo");
		assertThat(received.requestId()).isEqualTo("client-request-0001");
	}

	@Test
	void unreachableServiceIsA503Problem() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/segments")).GET());

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
		assertThat(RECEIVED).isEmpty();
	}

	@Test
	void unknownPathIsA404Problem() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/nothing-here")).GET());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("https://lodestar.io/problems/not-found");
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String url(HttpServer server) {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	private static HttpServer start(String service) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				RECEIVED.add(new Received(service, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
						exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
						exchange.getRequestHeaders().getFirst("X-Lodestar-Workspace"),
						exchange.getRequestHeaders().getFirst("X-Request-Id"), body));
				byte[] answer = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, answer.length);
				exchange.getResponseBody().write(answer);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Received(String service, String method, String path, String query, String authorization, String workspace,
			String requestId, String body) {
	}

}
