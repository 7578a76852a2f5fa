package io.lodestar.ingestion.connector.meta;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meta-ads} end to end: configured through the API, run by the scheduler against
 * WireMock replaying the recorded Meta insights, rows asserted on the real broker.
 */
class MetaAdsConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-meta";

	private static final String TOKEN = "EAAB-meta-secret-token";

	@BeforeEach
	void atNoonOnTheSecondOfJune() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		SLEEPER.clear();
	}

	@Test
	void pagesToTheEndAndPublishesCampaignDaysWithSpendInCurrencyAndOnePurchaseCounted() {
		String id = meta("798085168510957", "\"startDate\":\"2024-06-01\"");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("pages").asInt()).isEqualTo(2);
		assertThat(run.get("rows").asLong()).isEqualTo(3);
		List<ConnectorRecord> records = records(id);
		assertThat(records).extracting(ConnectorRecord::naturalKey)
			.containsExactlyInAnyOrder("act_798085168510957:23854404676180548:2024-06-01",
					"act_798085168510957:23854695759200548:2024-06-01",
					"act_798085168510957:23854404676180548:2024-06-02");
		ConnectorRecord first = records.stream()
			.filter((r) -> r.naturalKey().endsWith("23854404676180548:2024-06-01"))
			.findFirst()
			.orElseThrow();
		assertThat(first.kind()).isEqualTo("ad-campaign-day");
		assertThat(first.workspaceId()).isEqualTo(WS);
		assertThat(first.data()).containsEntry("currency", "USD")
			.containsEntry("campaignName", "Prospecting - Advantage+ Shopping")
			.containsEntry("impressions", 48210)
			.containsEntry("clicks", 912);
		assertThat(((Number) first.data().get("spend")).doubleValue()).isEqualTo(1804.22);
		assertThat(((Number) first.data().get("conversions")).doubleValue()).isEqualTo(21.0);
		assertThat(((Number) first.data().get("conversionValue")).doubleValue()).isEqualTo(2410.77);
		assertThat(connector(WS, id).get("watermark").asString()).isEqualTo("2024-06-02");
		LoggedRequest request = SOURCE.findAll(getRequestedFor(urlPathEqualTo("/v24.0/act_798085168510957/insights")))
			.get(0);
		assertThat(request.queryParameter("level").firstValue()).isEqualTo("campaign");
		assertThat(request.queryParameter("time_increment").firstValue()).isEqualTo("1");
	}

	@Test
	void theSecondRunRereadsTheAttributionWindowAndYieldsTheSameRecordIds() {
		String id = meta("798085168510957", "\"startDate\":\"2024-05-01\",\"attributionWindowDays\":28");
		JsonNode first = runNow(WS, id);
		Set<UUID> firstIds = records(id).stream().map(ConnectorRecord::recordId).collect(Collectors.toSet());

		CLOCK.set(Instant.parse("2024-06-05T06:00:00Z"));
		JsonNode second = runNow(WS, id);

		assertThat(first.get("watermarkAfter").asString()).isEqualTo("2024-06-02");
		assertThat(second.get("watermarkBefore").asString()).isEqualTo("2024-06-02");
		assertThat(second.get("watermarkAfter").asString()).isEqualTo("2024-06-05");
		List<ConnectorRecord> all = records(id);
		assertThat(all).hasSize(6);
		assertThat(all.stream().map(ConnectorRecord::recordId).collect(Collectors.toSet())).isEqualTo(firstIds)
			.hasSize(3);
		assertThat(timeRanges("798085168510957", id)).containsExactly(
				"{\"since\":\"2024-05-01\",\"until\":\"2024-06-02\"}",
				"{\"since\":\"2024-05-05\",\"until\":\"2024-06-05\"}");
	}

	@Test
	void withoutATrailingWindowTheSecondRunReadsOnlyFromTheWatermark() {
		String id = meta("798085168510957", "\"startDate\":\"2024-06-01\",\"attributionWindowDays\":0");
		runNow(WS, id);
		CLOCK.set(Instant.parse("2024-06-04T06:00:00Z"));

		runNow(WS, id);

		assertThat(timeRanges("798085168510957", id)).containsExactly(
				"{\"since\":\"2024-06-01\",\"until\":\"2024-06-02\"}",
				"{\"since\":\"2024-06-02\",\"until\":\"2024-06-04\"}");
	}

	@Test
	void everyThrottleKindLeadsToItsWait() {
		String account = "333";
		String scenario = "meta-throttles-" + UUID.randomUUID();
		stubInOrder(account, scenario,
				aResponse().withStatus(400).withBody(fixture("meta_error_4_app_request_limit.json")),
				aResponse().withStatus(400)
					.withHeader("x-business-use-case-usage",
							"{\"333\":[{\"type\":\"ads_insights\",\"call_count\":100,\"estimated_time_to_regain_access\":19}]}")
					.withBody(fixture("meta_error_80004_ad_account_rate_limit.json")),
				aResponse().withStatus(400).withBody(fixture("meta_error_613_rate_limit.json")),
				aResponse().withStatus(400).withBody(fixture("meta_error_80000_ads_insights_rate_limit.json")),
				aResponse().withStatus(400).withBody(fixture("meta_error_17_user_request_limit.json")),
				aResponse().withStatus(200).withBody(fixture("meta_insights_campaign_daily_page2.json")));
		String id = meta(account, "\"startDate\":\"2024-06-01\"");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("retries").asInt()).isEqualTo(5);
		List<Duration> waits = SLEEPER.waits();
		assertThat(waits).hasSize(5);
		// code 4, 613, 80000 and 17 name no wait: full jitter under 1s * 2^attempt
		assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
		// 80004 with x-business-use-case-usage: exactly the estimated time to regain
		// access
		assertThat(waits.get(1)).isEqualTo(Duration.ofMinutes(19));
		assertThat(waits.get(2)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
		assertThat(waits.get(3)).isBetween(Duration.ZERO, Duration.ofSeconds(8));
		assertThat(waits.get(4)).isBetween(Duration.ZERO, Duration.ofSeconds(16));
		assertThat(records(id)).hasSize(1);
	}

	@Test
	void aLimitThatNeverLiftsFailsTheRunAfterTheLastAttemptWithoutHammering() {
		String id = meta("111", "\"startDate\":\"2024-06-01\"");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString())
			.isEqualTo("Still rate-limited after every retry: Meta rate limit (code 80004)");
		assertThat(SLEEPER.waits()).hasSize(5).allMatch((wait) -> wait.equals(Duration.ofMinutes(19)));
		assertThat(SOURCE.findAll(getRequestedFor(urlPathEqualTo("/v24.0/act_111/insights")))).hasSize(6);
		assertThat(connector(WS, id).get("watermark").isNull()).isTrue();
	}

	@Test
	void anExpiredTokenFailsTheRunWithAClearMessageAndNoToken() {
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/act_222/insights")).atPriority(1)
			.willReturn(aResponse().withStatus(400).withBody(fixture("meta_error_190_token_expired.json"))));
		String id = meta("222", "\"startDate\":\"2024-06-01\"");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).isEqualTo(
				"Authentication failed: Meta rejected the access token (code 190, subcode 463): reconnect the account");
		assertThat(run.toString()).doesNotContain(TOKEN);
		assertThat(SLEEPER.waits()).isEmpty();
		JsonNode check = JSON.readTree(call("POST", "/v1/connectors/" + id + "/test", WS, null).body());
		assertThat(check.get("ok").asBoolean()).isFalse();
		assertThat(check.get("error").asString()).contains("code 190");
	}

	@Test
	void aTruncatedPageFailsTheRunAndLeavesTheWatermarkWhereItWas() {
		String page1 = fixture("meta_insights_campaign_daily_page1.json")
			.replace("{{request.baseUrl}}/v24.0/act_798085168510957/insights",
					SOURCE.baseUrl() + "/v24.0/act_444/insights")
			.replace("after=MQZDZD", "after=P2");
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/act_444/insights")).atPriority(2)
			.willReturn(aResponse().withStatus(200).withBody(page1)));
		StubMapping good = SOURCE.stubFor(get(urlPathEqualTo("/v24.0/act_444/insights")).atPriority(1)
			.withQueryParam("after", WireMock.equalTo("P2"))
			.willReturn(aResponse().withStatus(200).withBody(fixture("meta_insights_campaign_daily_page2.json"))));
		String id = meta("444", "\"startDate\":\"2024-06-01\"");
		assertThat(runNow(WS, id).get("status").asString()).isEqualTo("succeeded");
		String truncated = fixture("meta_insights_campaign_daily_page2.json").substring(0, 400);
		SOURCE.removeStub(good);
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/act_444/insights")).atPriority(1)
			.withQueryParam("after", WireMock.equalTo("P2"))
			.willReturn(aResponse().withStatus(200).withBody(truncated)));
		CLOCK.set(Instant.parse("2024-06-03T12:00:00Z"));

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString())
			.isEqualTo("Malformed response: Meta insights page is not valid JSON (truncated?)");
		assertThat(run.get("watermarkAfter").isNull()).isTrue();
		assertThat(connector(WS, id).get("watermark").asString()).isEqualTo("2024-06-02");
	}

	@Test
	void aLargeRangeGoesThroughAnAsyncReportRun() {
		SOURCE.stubFor(post(urlPathEqualTo("/v24.0/act_555/insights")).atPriority(1)
			.willReturn(aResponse().withStatus(200).withBody(fixture("meta_async_report_run_create_response.json"))));
		String scenario = "meta-async-" + UUID.randomUUID();
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/6023920149050")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("done")
			.willReturn(aResponse().withStatus(200).withBody(fixture("meta_async_report_run_status_running.json"))));
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/6023920149050")).atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs("done")
			.willReturn(aResponse().withStatus(200).withBody(fixture("meta_async_report_run_status_completed.json"))));
		SOURCE.stubFor(get(urlPathEqualTo("/v24.0/6023920149050/insights")).atPriority(1)
			.willReturn(aResponse().withStatus(200).withBody(fixture("meta_insights_campaign_daily_page2.json"))));
		String id = meta("555", "\"startDate\":\"2024-01-01\",\"asyncAfterDays\":31");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(records(id)).extracting(ConnectorRecord::naturalKey)
			.containsExactly("act_798085168510957:23854404676180548:2024-06-02");
		assertThat(SLEEPER.waits()).containsExactly(Duration.ofSeconds(10));
		assertThat(SOURCE.findAll(WireMock.postRequestedFor(urlPathEqualTo("/v24.0/act_555/insights")))
			.get(0)
			.getBodyAsString()).contains("time_range=%7B%22since%22%3A%222024-01-01%22");
	}

	private void stubInOrder(String account, String scenario,
			com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... replies) {
		for (int i = 0; i < replies.length; i++) {
			SOURCE.stubFor(get(urlPathMatching("/v24.0/act_" + account + "/insights")).atPriority(1)
				.inScenario(scenario)
				.whenScenarioStateIs((i == 0) ? Scenario.STARTED : "step-" + i)
				.willSetStateTo("step-" + (i + 1))
				.willReturn(replies[i]));
		}
	}

	private List<String> timeRanges(String account, String connectorToken) {
		return SOURCE.findAll(getRequestedFor(urlPathEqualTo("/v24.0/act_" + account + "/insights")))
			.stream()
			.filter((request) -> request.queryParameter("access_token").firstValue().equals(TOKEN + connectorToken))
			.filter((request) -> !request.queryParameter("after").isPresent())
			.map((request) -> request.queryParameter("time_range").firstValue())
			.toList();
	}

	private String meta(String account, String settings) {
		String name = "Meta " + UUID.randomUUID();
		// each connector its own token, so the request journal tells their requests apart
		String id = create(WS, MetaAdsConnector.KIND, name,
				"{\"accountId\":\"act_" + account + "\",\"timeZone\":\"UTC\"," + settings + "}",
				"{\"accessToken\":\"" + TOKEN + "\"}");
		call("PATCH", "/v1/connectors/" + id, WS, "{\"credentials\":{\"accessToken\":\"" + TOKEN + id + "\"}}");
		return id;
	}

}
