package io.lodestar.profile.analytics;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Campaign economics on a hand-built April 2026, worked out in the comments: ad rows as
 * the connectors leave them and touches as the pipeline records them.
 * <ul>
 * <li>Meta "Spring Sale": 100 + 50 spent in April (and 999 in May). P1 came from a
 * facebook link on 03-31 and first bought for 80 on 04-01 (predicted LTV 200).</li>
 * <li>Google Ads "Brand": 30 spent. P2 came from a google link and first bought for 40 on
 * 04-02 (LTV 100); a newsletter link on 04-05, then 60 on 04-06 — that order is the
 * newsletter's.</li>
 * <li>P3 bought for 30 on 04-03; its only touch is 60 days older than the look-back.</li>
 * <li>P4, a customer since March, clicked a Google ad (gclid, no utm) and bought for
 * 20.</li>
 * </ul>
 */
@SpringBootTest
@AutoConfigureMockMvc
class CampaignsIT {

	private static final String APRIL = "from=2026-04-01&to=2026-04-30";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "campaigns-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void data() {
		adDay("meta", "111", "Spring Sale", "2026-04-01", 100, 10_000, 300, 5, 250);
		adDay("meta", "111", "Spring Sale", "2026-04-02", 50, 5_000, 100, 2, 90);
		adDay("meta", "111", "Spring Sale", "2026-05-10", 999, 1, 1, 0, 0);
		adDay("google-ads", "222", "Brand", "2026-04-01", 30, 2_000, 80, 1, 40);

		UUID p1 = profile();
		touch(p1, "2026-03-31T10:00:00Z", "facebook", "spring sale", null);
		order(p1, "2026-04-01T12:00:00Z", 80);
		ltv(p1, 200);

		UUID p2 = profile();
		touch(p2, "2026-04-01T09:00:00Z", "google", "Brand", null);
		order(p2, "2026-04-02T12:00:00Z", 40);
		touch(p2, "2026-04-05T09:00:00Z", "newsletter", "april", null);
		order(p2, "2026-04-06T12:00:00Z", 60);
		ltv(p2, 100);

		UUID p3 = profile();
		touch(p3, "2026-02-02T09:00:00Z", "facebook", "spring sale", null);
		order(p3, "2026-04-03T12:00:00Z", 30);

		UUID p4 = profile();
		order(p4, "2026-03-01T12:00:00Z", 10);
		touch(p4, "2026-04-02T08:00:00Z", null, null, "gclid");
		order(p4, "2026-04-02T08:30:00Z", 20);
	}

	@Test
	void byCampaignSpendNextToLastTouchRevenue() throws Exception {
		this.mvc.perform(get("/v1/analytics/campaigns?" + APRIL).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.rows.length()").value(4))
			// the largest spend first
			.andExpect(jsonPath("$.rows[0].channel").value("meta"))
			.andExpect(jsonPath("$.rows[0].campaign").value("Spring Sale"))
			.andExpect(jsonPath("$.rows[0].spend").value(150.0))
			.andExpect(jsonPath("$.rows[0].impressions").value(15_000))
			.andExpect(jsonPath("$.rows[0].clicks").value(400))
			.andExpect(jsonPath("$.rows[0].platformConversions").value(7.0))
			.andExpect(jsonPath("$.rows[0].currency").value("EUR"))
			.andExpect(jsonPath("$.rows[0].orders").value(1))
			.andExpect(jsonPath("$.rows[0].revenue").value(80.0))
			.andExpect(jsonPath("$.rows[0].roas").value(closeTo(80.0 / 150, 1e-9)))
			.andExpect(jsonPath("$.rows[0].customersAcquired").value(1))
			.andExpect(jsonPath("$.rows[0].cac").value(150.0))
			.andExpect(jsonPath("$.rows[0].averageLtv").value(200.0))
			.andExpect(jsonPath("$.rows[1].channel").value("google-ads"))
			.andExpect(jsonPath("$.rows[1].campaign").value("Brand"))
			.andExpect(jsonPath("$.rows[1].revenue").value(40.0))
			.andExpect(jsonPath("$.rows[1].roas").value(closeTo(40.0 / 30, 1e-9)))
			.andExpect(jsonPath("$.rows[1].cac").value(30.0))
			.andExpect(jsonPath("$.rows[1].averageLtv").value(100.0))
			// attributed but unpaid: the newsletter, and the ad click without campaign
			// parameters
			.andExpect(jsonPath("$.rows[?(@.channel == 'newsletter')].revenue").value(60.0))
			.andExpect(jsonPath("$.rows[?(@.channel == 'newsletter')].spend").value(contains(nullValue())))
			.andExpect(jsonPath("$.rows[?(@.channel == 'newsletter')].roas").value(contains(nullValue())))
			.andExpect(jsonPath("$.rows[?(@.channel == 'newsletter')].customersAcquired").value(0))
			.andExpect(jsonPath("$.rows[?(@.channel == 'google-ads' && @.campaign == null)].revenue").value(20.0));
	}

	@Test
	void perCampaignAndDay() throws Exception {
		String meta = "$.rows[?(@.campaign == 'Spring Sale' && @.day == '%s')].";
		String brand = "$.rows[?(@.campaign == 'Brand' && @.day == '%s')].";
		this.mvc
			.perform(get("/v1/analytics/campaigns?" + APRIL + "&interval=day").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			// Spring Sale: 04-01 spent 100, P1 bought 80 and was acquired; 04-02 spent 50
			.andExpect(jsonPath(meta.formatted("2026-04-01") + "spend").value(contains(100.0)))
			.andExpect(jsonPath(meta.formatted("2026-04-01") + "revenue").value(contains(80.0)))
			.andExpect(jsonPath(meta.formatted("2026-04-01") + "customersAcquired").value(contains(1)))
			.andExpect(jsonPath(meta.formatted("2026-04-01") + "cac").value(contains(100.0)))
			.andExpect(jsonPath(meta.formatted("2026-04-01") + "averageLtv").value(contains(200.0)))
			.andExpect(jsonPath(meta.formatted("2026-04-02") + "spend").value(contains(50.0)))
			.andExpect(jsonPath(meta.formatted("2026-04-02") + "orders").value(contains(0)))
			.andExpect(jsonPath(meta.formatted("2026-04-02") + "customersAcquired").value(contains(0)))
			// Brand: spent 30 on 04-01; P2's first order (40) on 04-02, a day without
			// spend
			.andExpect(jsonPath(brand.formatted("2026-04-01") + "spend").value(contains(30.0)))
			.andExpect(jsonPath(brand.formatted("2026-04-01") + "orders").value(contains(0)))
			.andExpect(jsonPath(brand.formatted("2026-04-02") + "spend").value(contains(nullValue())))
			.andExpect(jsonPath(brand.formatted("2026-04-02") + "revenue").value(contains(40.0)))
			.andExpect(jsonPath(brand.formatted("2026-04-02") + "customersAcquired").value(contains(1)))
			.andExpect(jsonPath("$.rows[?(@.channel == 'newsletter')].day").value(contains("2026-04-06")))
			// the days come in order
			.andExpect(jsonPath("$.rows[0].day").value("2026-04-01"));
		this.mvc
			.perform(
					get("/v1/analytics/campaigns?" + APRIL + "&interval=week").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("interval"));
	}

	@Test
	void byChannelAndALongerLookBack() throws Exception {
		this.mvc
			.perform(get("/v1/analytics/campaigns?" + APRIL + "&by=channel").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.rows.length()").value(3))
			.andExpect(jsonPath("$.rows[?(@.channel == 'google-ads')].orders").value(2))
			.andExpect(jsonPath("$.rows[?(@.channel == 'google-ads')].revenue").value(60.0))
			.andExpect(jsonPath("$.rows[?(@.channel == 'google-ads')].roas").value(2.0))
			.andExpect(jsonPath("$.rows[?(@.channel == 'meta')].customersAcquired").value(1));
		// with 90 days P3's February touch counts: Spring Sale gets its 30 and a second
		// customer
		this.mvc
			.perform(get("/v1/analytics/campaigns?" + APRIL + "&lookbackDays=90").header(Workspace.HEADER,
					this.workspace))
			.andExpect(jsonPath("$.rows[0].revenue").value(110.0))
			.andExpect(jsonPath("$.rows[0].customersAcquired").value(2))
			.andExpect(jsonPath("$.rows[0].cac").value(75.0));
		this.mvc
			.perform(get("/v1/analytics/campaigns?" + APRIL + "&lookbackDays=0").header(Workspace.HEADER,
					this.workspace))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("lookbackDays"));
		this.mvc.perform(get("/v1/analytics/campaigns?" + APRIL).header(Workspace.HEADER, "other-" + this.workspace))
			.andExpect(jsonPath("$.rows.length()").value(0));
	}

	private void adDay(String source, String campaignId, String name, String day, double spend, long impressions,
			long clicks, double conversions, double value) {
		this.jdbc.update(
				"""
						insert into profile.campaign_day (workspace_id, record_id, source, account_id, campaign_id, campaign_name,
						    day, currency, spend, impressions, clicks, conversions, conversion_value, pulled_at)
						values (?, ?, ?, 'act_1', ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, now())""",
				this.workspace, UUID.randomUUID(), source, campaignId, name, Date.valueOf(LocalDate.parse(day)), spend,
				impressions, clicks, conversions, value);
	}

	private UUID profile() {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, now(), now(), 1)""", this.workspace, id);
		return id;
	}

	private void touch(UUID profile, String at, String source, String campaign, String clickId) {
		this.jdbc.update(
				"""
						insert into profile.campaign_touch (workspace_id, event_id, profile_id, occurred_at, source, campaign, click_id_kind)
						values (?, ?, ?, ?, ?, ?, ?)""",
				this.workspace, UUID.randomUUID(), profile, Timestamp.from(Instant.parse(at)), source, campaign,
				clickId);
	}

	private void order(UUID profile, String at, double revenue) {
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values (?, ?, ?, 'track', 'Order Completed', ?, jsonb_build_object('revenue', ?::numeric))""",
				this.workspace, UUID.randomUUID(), profile, Timestamp.from(Instant.parse(at)), revenue);
	}

	private void ltv(UUID profile, double predicted) {
		UUID model = UUID.randomUUID();
		this.jdbc.update(
				"""
						insert into profile.ltv_model (model_id, workspace_id, fitted_at, observed_until, customers, repeat_customers,
						    r, alpha, a, b, log_likelihood, duration_ms)
						values (?, ?, now(), now(), 1, 0, 1, 1, 1, 1, 0, 0)""",
				model, this.workspace);
		this.jdbc.update("""
				insert into profile.profile_ltv (workspace_id, profile_id, model_id, purchases, probability_alive,
				    expected_purchases_30, expected_purchases_90, expected_purchases_365, predicted_spend_365)
				values (?, ?, ?, 1, 0.9, 0.1, 0.3, 1.0, ?)""", this.workspace, profile, model, predicted);
	}

}
