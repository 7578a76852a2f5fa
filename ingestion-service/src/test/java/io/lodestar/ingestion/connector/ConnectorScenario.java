package io.lodestar.ingestion.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running service on a real database and broker with every source pointed at one
 * WireMock server that replays the shared fixtures ({@code src/test/resources/wiremock}).
 * Connectors are configured through {@code /v1/connectors}, run by the scheduler, and
 * waits go through a recording sleeper on a test clock. Subclasses share one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.ingestion.connectors.scheduler.tick=100ms" })
@Import(ConnectorScenario.TestBeans.class)
public abstract class ConnectorScenario {

	/** Yearly on 1 January: no scheduled run gets in the way of a test's manual runs. */
	protected static final String NEVER_DURING_TESTS = "0 0 1 1 *";

	protected static final JsonMapper JSON = JsonMapper.builder().build();

	protected static final WireMockServer SOURCE = startSource();

	protected static final MutableClock CLOCK = new MutableClock(Instant.parse("2024-06-02T12:00:00Z"));

	protected static final RecordingSleeper SLEEPER = new RecordingSleeper(CLOCK);

	/** The file-drop root of the service under test. */
	protected static final java.nio.file.Path DROPS = dropRoot();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.ingestion.connectors.file-drop.root", DROPS::toString);
		registry.add("lodestar.ingestion.connectors.meta.base-url", SOURCE::baseUrl);
		registry.add("lodestar.ingestion.connectors.shopify.base-url", SOURCE::baseUrl);
		registry.add("lodestar.ingestion.connectors.google-ads.base-url", SOURCE::baseUrl);
		registry.add("lodestar.ingestion.connectors.google-ads.token-url", () -> SOURCE.baseUrl() + "/token");
		registry.add("lodestar.ingestion.connectors.ga4.base-url", SOURCE::baseUrl);
		registry.add("lodestar.ingestion.connectors.ga4.token-url", () -> SOURCE.baseUrl() + "/token");
		registry.add("lodestar.ingestion.connectors.woocommerce.allow-http", () -> "true");
		registry.add("lodestar.ingestion.connectors.appsflyer.base-url", SOURCE::baseUrl);
		registry.add("lodestar.ingestion.connectors.mixpanel.base-url", SOURCE::baseUrl);
	}

	private static java.nio.file.Path dropRoot() {
		try {
			java.nio.file.Path target = java.nio.file.Path.of("target");
			return java.nio.file.Files.createTempDirectory(
					java.nio.file.Files.isDirectory(target) ? target.toAbsolutePath() : java.nio.file.Path.of("/tmp"),
					"file-drops-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static WireMockServer startSource() {
		WireMockServer server = new WireMockServer(WireMockConfiguration.options()
			.bindAddress("127.0.0.1")
			.dynamicPort()
			.usingFilesUnderClasspath("wiremock"));
		server.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
		return server;
	}

	/** Creates a connector through the API and returns its id. */
	protected String create(String workspace, String kind, String name, String settings, String credentials) {
		HttpResponse<String> response = call("POST", "/v1/connectors", workspace,
				"{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"schedule\":\"" + NEVER_DURING_TESTS
						+ "\",\"settings\":" + settings + ",\"credentials\":" + credentials + "}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return JSON.readTree(response.body()).get("id").asString();
	}

	/**
	 * Queues a run through the API, waits until the scheduler finished it, returns it.
	 */
	protected JsonNode runNow(String workspace, String connectorId) {
		HttpResponse<String> queued = call("POST", "/v1/connectors/" + connectorId + "/runs", workspace, null);
		assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
		String runId = JSON.readTree(queued.body()).get("id").asString();
		JsonNode[] run = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			for (JsonNode candidate : JSON
				.readTree(call("GET", "/v1/connectors/" + connectorId + "/runs?limit=50", workspace, null).body())
				.get("items")) {
				if (candidate.get("id").asString().equals(runId)
						&& !Set.of("queued", "running").contains(candidate.get("status").asString())) {
					run[0] = candidate;
					return true;
				}
			}
			return false;
		});
		return run[0];
	}

	protected JsonNode connector(String workspace, String connectorId) {
		return JSON.readTree(call("GET", "/v1/connectors/" + connectorId, workspace, null).body());
	}

	/** Every record a connector published on {@code cdp.connector.records}. */
	protected static List<ConnectorRecord> records(String connectorId) {
		return KafkaProbe.containing(Topics.CONNECTOR_RECORDS, connectorId)
			.stream()
			.map((record) -> JSON.readValue(record.value(), ConnectorRecord.class))
			.filter((record) -> record.connectorId().equals(connectorId))
			.toList();
	}

	/** Every event with a source id on {@code cdp.ingestion.events}. */
	protected static List<EventEnvelope> events(String sourceId) {
		return KafkaProbe.containing(Topics.INGESTION_EVENTS, sourceId)
			.stream()
			.map((record) -> JSON.readValue(record.value(), EventEnvelope.class))
			.filter((event) -> sourceId.equals(event.sourceId()))
			.toList();
	}

	protected HttpResponse<String> call(String method, String path, String workspace, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (workspace != null) {
			request.header("X-Lodestar-Workspace", workspace);
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A fixture copied from the shared fixtures, as text. */
	protected static String fixture(String name) {
		try (InputStream in = ConnectorScenario.class.getResourceAsStream("/fixtures/connectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestBeans {

		@Bean
		@Primary
		MutableClock testClock() {
			return CLOCK;
		}

		@Bean
		@Primary
		RecordingSleeper testSleeper() {
			return SLEEPER;
		}

	}

}
