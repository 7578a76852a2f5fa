package io.lodestar.ingestion.connector.google;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code google-ads} end to end: the OAuth refresh, searchStream with GAQL replayed from
 * the fixtures, micros to currency, the conversion window re-read, quota errors.
 */
class GoogleAdsConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-gads";

	@BeforeEach
	void now() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		SLEEPER.clear();
	}

	@Test
	void campaignDaysArriveWithSpendInCurrencyAndInt64sAsNumbers() {
		String id = ads("1234567890", "\"startDate\":\"2024-06-01\",\"loginCustomerId\":\"999-888-7777\"");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		List<ConnectorRecord> records = records(id);
		assertThat(records).hasSize(4);
		ConnectorRecord brand = records.stream()
			.filter((r) -> r.naturalKey().equals("1234567890:20123456789:2024-06-01"))
			.findFirst()
			.orElseThrow();
		assertThat(brand.kind()).isEqualTo("ad-campaign-day");
		assertThat(brand.source()).isEqualTo("google-ads");
		assertThat(((Number) brand.data().get("spend")).doubleValue()).isEqualTo(1061.08362);
		assertThat(brand.data()).containsEntry("impressions", 3871)
			.containsEntry("clicks", 204)
			.containsEntry("currency", "USD")
			.containsEntry("campaignName", "Brand - Search - US");
		assertThat(((Number) brand.data().get("conversions")).doubleValue()).isEqualTo(14.0);
		assertThat(((Number) brand.data().get("conversionValue")).doubleValue()).isEqualTo(1288.5);
		LoggedRequest request = SOURCE
			.findAll(postRequestedFor(urlPathEqualTo("/v21/customers/1234567890/googleAds:searchStream"))
				.withHeader("login-customer-id", WireMock.equalTo("9998887777")))
			.get(0);
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer ya29.a0AfB_byC-EXAMPLE-ACCESS-TOKEN");
		assertThat(request.getHeader("developer-token")).isEqualTo("dev-token-" + id.substring(0, 8));
		assertThat(JSON.readTree(request.getBodyAsString()).get("query").asString())
			.contains("FROM campaign WHERE segments.date BETWEEN '2024-06-01' AND '2024-06-02'");
	}

	@Test
	void theSecondRunRereadsTheConversionWindowWithTheSameRecordIds() {
		String id = ads("1234567890", "\"startDate\":\"2024-05-01\",\"conversionWindowDays\":30");
		runNow(WS, id);
		CLOCK.set(Instant.parse("2024-06-10T12:00:00Z"));

		JsonNode second = runNow(WS, id);

		assertThat(second.get("watermarkBefore").asString()).isEqualTo("2024-06-02");
		assertThat(records(id).stream().map(ConnectorRecord::recordId).distinct().count()).isEqualTo(4);
		List<String> queries = SOURCE
			.findAll(postRequestedFor(urlPathEqualTo("/v21/customers/1234567890/googleAds:searchStream"))
				.withHeader("developer-token", WireMock.equalTo("dev-token-" + id.substring(0, 8))))
			.stream()
			.map((r) -> JSON.readTree(r.getBodyAsString()).get("query").asString())
			.toList();
		assertThat(queries.get(1)).contains("BETWEEN '2024-05-03' AND '2024-06-10'");
	}

	@Test
	void aTemporaryQuotaWaitsItsRetryDelayAndTheDailyOnePausesTheConnector() {
		String scenario = "gads-" + UUID.randomUUID();
		SOURCE.stubFor(post(urlPathEqualTo("/v21/customers/2222222222/googleAds:searchStream")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("ok")
			.willReturn(aResponse().withStatus(429)
				.withBody(fixture("google_ads_error_resource_temporarily_exhausted.json"))));
		SOURCE.stubFor(post(urlPathEqualTo("/v21/customers/2222222222/googleAds:searchStream")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs("ok")
			.willReturn(aResponse().withStatus(200).withBody(fixture("google_ads_searchstream_response.json"))));
		String temporary = ads("2222222222", "\"startDate\":\"2024-06-01\"");

		JsonNode waited = runNow(WS, temporary);

		assertThat(waited.get("status").asString()).isEqualTo("succeeded");
		assertThat(SLEEPER.waits()).containsExactly(Duration.ofSeconds(30));

		String daily = ads("1111111111", "\"startDate\":\"2024-06-01\"");
		Instant before = CLOCK.instant();
		JsonNode paused = runNow(WS, daily);

		assertThat(paused.get("status").asString()).isEqualTo("paused");
		JsonNode connector = connector(WS, daily);
		assertThat(connector.get("status").asString()).isEqualTo("paused");
		assertThat(Instant.parse(connector.get("pausedUntil").asString())).isEqualTo(before.plusSeconds(8962));
		assertThat(connector.get("pausedReason").asString()).contains("RESOURCE_EXHAUSTED");
		assertThat(SLEEPER.waits()).as("a daily quota is not retried").hasSize(1);
	}

	@Test
	void aRevokedRefreshTokenAndAMissingPermissionFailWithClearMessages() {
		String token = "revoked-" + UUID.randomUUID();
		SOURCE.stubFor(post(urlPathEqualTo("/token")).atPriority(1)
			.withRequestBody(WireMock.containing("refresh_token=" + token))
			.willReturn(aResponse().withStatus(400).withBody(fixture("google_oauth_token_invalid_grant.json"))));
		String revoked = create(WS, GoogleAdsConnector.KIND, "Ads " + UUID.randomUUID(),
				"{\"customerId\":\"1234567890\"}",
				"{\"developerToken\":\"d\",\"clientId\":\"c\",\"clientSecret\":\"s\"," + "\"refreshToken\":\"" + token
						+ "\"}");
		SOURCE.stubFor(post(urlPathEqualTo("/v21/customers/3333333333/googleAds:searchStream")).atPriority(1)
			.willReturn(aResponse().withStatus(403).withBody(fixture("google_ads_error_user_permission_denied.json"))));
		String denied = ads("3333333333", "\"startDate\":\"2024-06-01\"");

		assertThat(runNow(WS, revoked).get("error").asString()).isEqualTo(
				"Authentication failed: Google refused the refresh token (invalid_grant): reconnect the account");
		assertThat(runNow(WS, denied).get("error").asString()).isEqualTo(
				"Authentication failed: Google Ads denied access (USER_PERMISSION_DENIED): check the customer id and, "
						+ "through a manager account, loginCustomerId");
	}

	private String ads(String customer, String settings) {
		String name = "Ads " + UUID.randomUUID();
		String id = create(WS, GoogleAdsConnector.KIND, name, "{\"customerId\":\"" + customer + "\"," + settings + "}",
				"{\"developerToken\":\"pending\",\"clientId\":\"client.apps.googleusercontent.com\","
						+ "\"clientSecret\":\"secret\",\"refreshToken\":\"1//0g-refresh\"}");
		call("PATCH", "/v1/connectors/" + id, WS,
				"{\"credentials\":{\"developerToken\":\"dev-token-" + id.substring(0, 8) + "\"}}");
		return id;
	}

}
