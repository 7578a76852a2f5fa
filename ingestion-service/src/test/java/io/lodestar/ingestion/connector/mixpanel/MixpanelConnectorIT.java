package io.lodestar.ingestion.connector.mixpanel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mixpanel} end to end: the raw export as track events on the collector's topic, a
 * re-read day deduplicated by event id, a 429 retried.
 */
class MixpanelConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-mixpanel";

	@BeforeEach
	void now() {
		CLOCK.set(Instant.parse("2020-10-16T12:00:00Z"));
		SLEEPER.clear();
	}

	@Test
	void exportLinesBecomeTrackEventsAndARereadYieldsTheSameEventIds() {
		String id = create(WS, MixpanelConnector.KIND, "Mixpanel " + UUID.randomUUID(),
				"{\"startDate\":\"2020-10-13\"}", "{\"secret\":\"mp-api-secret\"}");

		JsonNode first = runNow(WS, id);
		CLOCK.set(Instant.parse("2020-10-17T12:00:00Z"));
		JsonNode second = runNow(WS, id);

		assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
		assertThat(first.get("rows").asLong()).isEqualTo(3);
		List<EventEnvelope> events = events(id);
		assertThat(events).hasSize(6);
		assertThat(events.stream().map(EventEnvelope::eventId).distinct().count()).isEqualTo(3);
		EventEnvelope purchase = events.stream()
			.filter((e) -> "1001".equals(((Map<?, ?>) e.payload().get("properties")).get("order_id")))
			.findFirst()
			.orElseThrow();
		assertThat(purchase.type()).isEqualTo("track");
		assertThat(purchase.payload()).containsEntry("event", "Purchase");
		assertThat(purchase.identity().userId()).isEqualTo("13793");
		assertThat(purchase.identity().anonymousId())
			.isEqualTo("17529e9d8f51c7-0d5f3d0a3e6b7c-1f3b6254-1aeaa0-17529e9d8f6b3c");
		assertThat(purchase.occurredAt()).isEqualTo(Instant.ofEpochSecond(1602787121));
		assertThat(((Map<?, ?>) purchase.payload().get("properties")).get("amount")).isEqualTo(59.17);
		assertThat(List.<Object>copyOf(((Map<?, ?>) purchase.payload().get("properties")).keySet()))
			.doesNotContain("distinct_id", "time", "$insert_id");
		assertThat(second.get("watermarkBefore").asString()).isEqualTo("2020-10-16");
	}

	@Test
	void aRateLimitIsBackedOffAndARejectedSecretFailsTheRun() {
		String scenario = "mixpanel-" + UUID.randomUUID();
		SOURCE.stubFor(get(urlPathEqualTo("/api/2.0/export")).atPriority(1)
			.withBasicAuth("mp-limited", "")
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(429)
				.withHeader("Retry-After", "60")
				.withBody(fixture("mixpanel_error_429.json"))));
		SOURCE.stubFor(get(urlPathEqualTo("/api/2.0/export")).atPriority(1)
			.withBasicAuth("mp-limited", "")
			.inScenario(scenario)
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200).withBodyFile("mixpanel_export_response.jsonl")));
		SOURCE.stubFor(get(urlPathEqualTo("/api/2.0/export")).atPriority(1)
			.withBasicAuth("mp-wrong", "")
			.willReturn(aResponse().withStatus(401).withBody("{\"error\":\"Invalid API secret\"}")));
		String limited = create(WS, MixpanelConnector.KIND, "Mixpanel " + UUID.randomUUID(),
				"{\"startDate\":\"2020-10-13\"}", "{\"secret\":\"mp-limited\"}");
		String wrong = create(WS, MixpanelConnector.KIND, "Mixpanel " + UUID.randomUUID(),
				"{\"startDate\":\"2020-10-13\"}", "{\"secret\":\"mp-wrong\"}");

		assertThat(runNow(WS, limited).get("status").asString()).isEqualTo("succeeded");
		assertThat(SLEEPER.waits()).containsExactly(Duration.ofSeconds(60));
		assertThat(runNow(WS, wrong).get("error").asString())
			.isEqualTo("Authentication failed: Mixpanel refused the credentials (HTTP 401)");
	}

}
