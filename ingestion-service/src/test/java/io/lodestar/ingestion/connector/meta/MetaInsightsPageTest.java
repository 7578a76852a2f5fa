package io.lodestar.ingestion.connector.meta;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MetaInsightsPageTest {

	private static final Instant PULLED = Instant.parse("2026-11-24T03:00:00Z");

	private static final Clock CLOCK = Clock.fixed(PULLED, ZoneOffset.UTC);

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void stringMetricsBecomeNumbersAndAPurchaseIsCountedOnce() throws IOException {
		MetaInsightsPage page = parse(fixture("meta_insights_campaign_daily_page1.json"));

		assertThat(page.records()).hasSize(2);
		ConnectorRecord first = page.records().get(0);
		assertThat(first.kind()).isEqualTo("ad-campaign-day");
		assertThat(first.naturalKey()).isEqualTo("act_798085168510957:23854404676180548:2024-06-01");
		assertThat(first.data()).containsEntry("currency", "USD")
			.containsEntry("spend", new BigDecimal("1804.22"))
			.containsEntry("impressions", 48210L)
			.containsEntry("clicks", 912L)
			.containsEntry("conversions", new BigDecimal("21"))
			.containsEntry("conversionValue", new BigDecimal("2410.77"))
			.containsEntry("date", "2024-06-01");
		assertThat(page.records().get(1).data()).containsEntry("conversions", new BigDecimal("6"))
			.containsEntry("conversionValue", new BigDecimal("612.4"));
		assertThat(page.next()).hasValueSatisfying((next) -> assertThat(next).contains("after=MQZDZD"));
	}

	@Test
	void pagingFollowsNextToTheLastPage() throws IOException {
		Map<String, String> pages = Map.of("start", fixture("meta_insights_campaign_daily_page1.json"), "after=MQZDZD",
				fixture("meta_insights_campaign_daily_page2.json"));
		List<ConnectorRecord> all = new ArrayList<>();
		Optional<String> next = Optional.of("start");
		int requests = 0;
		while (next.isPresent()) {
			String url = next.get();
			String body = pages.entrySet()
				.stream()
				.filter((entry) -> url.contains(entry.getKey()))
				.findFirst()
				.orElseThrow()
				.getValue();
			MetaInsightsPage page = parse(body);
			all.addAll(page.records());
			next = page.next();
			requests++;
		}

		assertThat(requests).isEqualTo(2);
		assertThat(all).extracting(ConnectorRecord::naturalKey)
			.containsExactly("act_798085168510957:23854404676180548:2024-06-01",
					"act_798085168510957:23854695759200548:2024-06-01",
					"act_798085168510957:23854404676180548:2024-06-02");
	}

	@Test
	void reReadingTheTrailingWindowYieldsTheSameRecordIds() throws IOException {
		MetaInsightsPage first = parse(fixture("meta_insights_campaign_daily_page1.json"));
		MetaInsightsPage again = MetaInsightsPage.parse(this.json, fixture("meta_insights_campaign_daily_page1.json"),
				"demo", "c-meta", PULLED.plus(Duration.ofDays(1)));

		List<UUID> ids = new ArrayList<>();
		first.records().forEach((record) -> ids.add(record.recordId()));
		again.records().forEach((record) -> ids.add(record.recordId()));

		assertThat(ids.stream().distinct()).hasSize(2);
	}

	@Test
	void emptyPageHasNoRecordsAndNoNext() throws IOException {
		MetaInsightsPage page = parse(fixture("meta_insights_empty_page.json"));

		assertThat(page.records()).isEmpty();
		assertThat(page.next()).isEmpty();
	}

	@Test
	void truncatedPageFailsWithAClearMessage() throws IOException {
		String body = fixture("meta_insights_campaign_daily_page1.json");

		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> parse(body.substring(0, body.length() / 2)))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void wrongTypesFailNamingTheField() throws IOException {
		String spendNotANumber = fixture("meta_insights_campaign_daily_page1.json").replace("\"1804.22\"", "\"lots\"");
		String impressionsAnObject = fixture("meta_insights_campaign_daily_page1.json").replace("\"48210\"", "{}");

		assertThatExceptionOfType(MalformedPageException.class).isThrownBy(() -> parse(spendNotANumber))
			.withMessage("data[0].spend is not a number");
		assertThatExceptionOfType(MalformedPageException.class).isThrownBy(() -> parse(impressionsAnObject))
			.withMessage("data[0].impressions is missing or not a string");
		assertThatExceptionOfType(MalformedPageException.class).isThrownBy(() -> parse("{\"data\":{}}"))
			.withMessageContaining("'data' array");
	}

	@ParameterizedTest
	@ValueSource(strings = { "meta_error_4_app_request_limit.json", "meta_error_17_user_request_limit.json",
			"meta_error_613_rate_limit.json", "meta_error_80000_ads_insights_rate_limit.json",
			"meta_error_80004_ad_account_rate_limit.json" })
	void throttlingCodesBackOff(String file) throws IOException {
		RuntimeException ex = MetaErrors.toException(this.json, 400, fixture(file), (name) -> null, CLOCK);

		assertThat(ex).isInstanceOfSatisfying(ThrottledException.class,
				(throttled) -> assertThat(throttled.throttle().kind()).isEqualTo(Throttle.Kind.TRANSIENT));
	}

	@Test
	void estimatedTimeToRegainAccessBecomesTheWait() throws IOException {
		String usage = "{\"798085168510957\":[{\"type\":\"ads_insights\",\"call_count\":100,"
				+ "\"estimated_time_to_regain_access\":12},{\"type\":\"ads_management\",\"estimated_time_to_regain_access\":3}]}";

		RuntimeException ex = MetaErrors.toException(this.json, 400,
				fixture("meta_error_80000_ads_insights_rate_limit.json"),
				(name) -> "x-business-use-case-usage".equals(name) ? usage : null, CLOCK);

		assertThat(ex).isInstanceOfSatisfying(ThrottledException.class, (throttled) -> {
			assertThat(throttled.throttle().kind()).isEqualTo(Throttle.Kind.RETRY_AFTER);
			assertThat(throttled.throttle().delay()).isEqualTo(Duration.ofMinutes(12));
		});
	}

	@Test
	void http429HonoursRetryAfter() {
		RuntimeException ex = MetaErrors.toException(this.json, 429, "",
				(name) -> "Retry-After".equals(name) ? "30" : null, CLOCK);

		assertThat(ex).isInstanceOfSatisfying(ThrottledException.class,
				(throttled) -> assertThat(throttled.throttle().delay()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void expiredTokenIsAnAuthenticationFailureWithoutTheToken() throws IOException {
		RuntimeException ex = MetaErrors.toException(this.json, 400, fixture("meta_error_190_token_expired.json"),
				(name) -> null, CLOCK);

		assertThat(ex).isInstanceOf(SourceAuthenticationException.class)
			.hasMessageContaining("code 190")
			.hasMessageContaining("reconnect");
	}

	@Test
	void otherErrorsNameStatusAndCode() {
		RuntimeException ex = MetaErrors.toException(this.json, 500, "{\"error\":{\"code\":1}}", (name) -> null, CLOCK);

		assertThat(ex).isInstanceOf(IllegalStateException.class)
			.hasMessage("Meta API answered HTTP 500 with error code 1");
	}

	private MetaInsightsPage parse(String body) {
		return MetaInsightsPage.parse(this.json, body, "demo", "c-meta", PULLED);
	}

	private static String fixture(String name) throws IOException {
		try (InputStream in = MetaInsightsPageTest.class.getResourceAsStream("/fixtures/connectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
