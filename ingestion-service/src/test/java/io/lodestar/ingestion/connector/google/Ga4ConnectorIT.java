package io.lodestar.ingestion.connector.google;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ga4} end to end: runReport paged by offset until rowCount, string values to
 * numbers, the revision window re-read, an hourly quota waited out and a daily one
 * pausing the connector until midnight Pacific time.
 */
class Ga4ConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-ga4";

	@BeforeEach
	void now() {
		CLOCK.set(Instant.parse("2024-06-03T12:00:00Z"));
		SLEEPER.clear();
	}

	@Test
	void reportRowsArePagedByOffsetAndKeyedOnPropertyDayAndDimensions() {
		String property = "5550001";
		String page = fixture("ga4_runreport_response.json").replace("\"rowCount\": 23", "\"rowCount\": 7");
		String last = fixture("ga4_runreport_response.json").replace("\"rowCount\": 23", "\"rowCount\": 7")
			.replace("page_view", "scroll")
			.replace("add_to_cart", "view_item")
			.replace("purchase", "begin_checkout")
			.replace("session_start", "first_visit");
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/" + property + ":runReport")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.offset", WireMock.equalTo("0")))
			.willReturn(aResponse().withStatus(200).withBody(page)));
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/" + property + ":runReport")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.offset", WireMock.equalTo("5")))
			.willReturn(aResponse().withStatus(200).withBody(last)));
		String id = ga4(property, "\"startDate\":\"2024-06-01\",\"pageSize\":5");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("pages").asInt()).isEqualTo(2);
		List<ConnectorRecord> records = records(id);
		assertThat(records).hasSize(10);
		ConnectorRecord purchase = records.stream()
			.filter((r) -> r.naturalKey().equals("properties/5550001:2024-06-01:google / cpc|purchase"))
			.findFirst()
			.orElseThrow();
		assertThat(purchase.kind()).isEqualTo("analytics-report-row");
		assertThat(purchase.data()).containsEntry("date", "2024-06-01")
			.containsEntry("currency", "USD")
			.containsEntry("dimensions", Map.of("sessionSourceMedium", "google / cpc", "eventName", "purchase"));
		assertThat(((Map<?, ?>) purchase.data().get("metrics")).get("purchaseRevenue")).isEqualTo(1288.5);
		assertThat(((Map<?, ?>) purchase.data().get("metrics")).get("eventCount")).isEqualTo(14);
		JsonNode body = JSON
			.readTree(SOURCE.findAll(postRequestedFor(urlPathEqualTo("/v1beta/properties/" + property + ":runReport")))
				.get(0)
				.getBodyAsString());
		assertThat(body.get("dateRanges").get(0).get("startDate").asString()).isEqualTo("2024-06-01");
		assertThat(body.get("dimensions").findValuesAsString("name")).containsExactly("date", "sessionSourceMedium",
				"eventName");
	}

	@Test
	void theSecondRunRereadsTheRevisionWindow() {
		String property = "5550002";
		String id = ga4(property, "\"startDate\":\"2024-05-01\",\"revisionWindowDays\":3");
		runNow(WS, id);
		CLOCK.set(Instant.parse("2024-06-05T12:00:00Z"));

		runNow(WS, id);

		List<String> starts = SOURCE
			.findAll(postRequestedFor(urlPathEqualTo("/v1beta/properties/" + property + ":runReport")))
			.stream()
			.filter((r) -> JSON.readTree(r.getBodyAsString()).get("offset").asInt() == 0)
			.map((r) -> JSON.readTree(r.getBodyAsString()).get("dateRanges").get(0).get("startDate").asString())
			.toList();
		assertThat(starts).containsExactly("2024-05-01", "2024-05-31");
		assertThat(records(id).stream().map(ConnectorRecord::recordId).distinct().count()).isEqualTo(5);
	}

	@Test
	void anHourlyQuotaWaitsForTheNextHourAndADailyOnePausesUntilMidnightPacific() {
		String scenario = "ga4-hour-" + UUID.randomUUID();
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/5550003:runReport")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(429).withBody(fixture("ga4_error_429_tokens_per_hour.json"))));
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/5550003:runReport")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200)
				.withBody(fixture("ga4_runreport_response.json").replace("\"rowCount\": 23", "\"rowCount\": 5"))));
		CLOCK.set(Instant.parse("2024-06-03T12:20:00Z"));

		JsonNode hourly = runNow(WS, ga4("5550003", "\"startDate\":\"2024-06-01\""));

		assertThat(hourly.get("status").asString()).isEqualTo("succeeded");
		assertThat(SLEEPER.waits()).containsExactly(Duration.ofMinutes(40));

		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/5550004:runReport")).atPriority(1)
			.willReturn(aResponse().withStatus(429).withBody(fixture("ga4_error_429_tokens_per_day.json"))));
		CLOCK.set(Instant.parse("2024-06-03T12:00:00Z"));
		String daily = ga4("5550004", "\"startDate\":\"2024-06-01\"");

		JsonNode paused = runNow(WS, daily);

		assertThat(paused.get("status").asString()).isEqualTo("paused");
		assertThat(connector(WS, daily).get("pausedUntil").asString()).isEqualTo("2024-06-04T07:00:00Z");
	}

	@Test
	void aPropertyTheAccountCannotReadFailsTheRunAndAWrongTypeNamesTheField() {
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/5550005:runReport")).atPriority(1)
			.willReturn(aResponse().withStatus(403).withBody(fixture("ga4_error_403_permission_denied.json"))));
		SOURCE.stubFor(post(urlPathEqualTo("/v1beta/properties/5550006:runReport")).atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withBody(fixture("ga4_runreport_response.json").replace("\"1843\"", "\"lots\""))));
		String denied = ga4("5550005", "\"startDate\":\"2024-06-01\"");
		String malformed = ga4("5550006", "\"startDate\":\"2024-06-01\"");

		assertThat(runNow(WS, denied).get("error").asString()).isEqualTo(
				"Authentication failed: GA4 denied access to the property (PERMISSION_DENIED): grant the account Viewer on it");
		JsonNode failed = runNow(WS, malformed);
		assertThat(failed.get("error").asString())
			.isEqualTo("Malformed response: rows[0].metricValues[0] (eventCount) is not a number");
		assertThat(connector(WS, malformed).get("watermark").isNull()).isTrue();
	}

	private String ga4(String property, String settings) {
		return create(WS, Ga4Connector.KIND, "GA4 " + UUID.randomUUID(),
				"{\"propertyId\":\"" + property + "\"," + settings + "}",
				"{\"clientId\":\"c.apps.googleusercontent.com\",\"clientSecret\":\"s\",\"refreshToken\":\"1//0g\"}");
	}

}
