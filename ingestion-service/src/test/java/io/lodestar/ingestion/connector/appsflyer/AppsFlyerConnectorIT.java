package io.lodestar.ingestion.connector.appsflyer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code appsflyer} end to end: the in-app events CSV as track events with device ids,
 * and a daily cap pausing the connector until the next day.
 */
class AppsFlyerConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-appsflyer";

	@Test
	void inAppEventsBecomeTrackEventsWithTheirRevenueAndDevice() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		String id = create(WS, AppsFlyerConnector.KIND, "AppsFlyer " + UUID.randomUUID(),
				"{\"appId\":\"id1234567890\",\"startDate\":\"2024-06-01\"}", "{\"apiToken\":\"af-token\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		List<EventEnvelope> events = events(id);
		assertThat(events).hasSize(2);
		EventEnvelope first = events.stream()
			.filter((e) -> "cust_000123".equals(e.identity().userId()))
			.findFirst()
			.orElseThrow();
		assertThat(first.payload()).containsEntry("event", "af_purchase");
		assertThat(first.identity().anonymousId()).isEqualTo("1717236160000-1234567");
		assertThat(first.occurredAt()).isEqualTo(Instant.parse("2024-06-01T10:31:05Z"));
		Map<?, ?> properties = (Map<?, ?>) first.payload().get("properties");
		assertThat(properties.get("revenue")).isEqualTo(19.99);
		assertThat(properties.get("currency")).isEqualTo("USD");
		assertThat(properties.get("mediaSource")).isEqualTo("Facebook Ads");
		assertThat(properties.get("af_content_id")).isEqualTo("sku_123");
		assertThat(((Map<?, ?>) first.context().get("device")).get("advertisingId"))
			.isEqualTo("6D92078A-8246-4BA4-AE5B-76104861E7DC");
		assertThat(properties.containsKey("IP")).isFalse();
	}

	@Test
	void aDailyCapPausesTheConnectorUntilTheNextDay() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		String body = fixture("appsflyer_error_raw_data_limit.txt").split("\n\n", 2)[1];
		SOURCE.stubFor(
				get(urlPathEqualTo("/api/raw-data/export/app/com.example.capped/in_app_events_report/v5")).atPriority(1)
					.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/plain").withBody(body)));
		String id = create(WS, AppsFlyerConnector.KIND, "AppsFlyer " + UUID.randomUUID(),
				"{\"appId\":\"com.example.capped\",\"startDate\":\"2024-06-01\"}", "{\"apiToken\":\"af-token\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("paused");
		JsonNode connector = connector(WS, id);
		assertThat(connector.get("pausedUntil").asString()).isEqualTo("2024-06-03T00:00:00Z");
		assertThat(connector.get("pausedReason").asString()).contains("AppsFlyer daily API cap");
	}

}
