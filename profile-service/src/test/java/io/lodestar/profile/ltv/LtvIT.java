package io.lodestar.profile.ltv;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * LTV on the real schema: purchases written as the pipeline writes them (Order Completed
 * events with a revenue), a fit through the API, predictions on the profile document, in
 * search, and as a distribution. The purchase history is generated from a seeded
 * BG/NBD-like process: frequent recent buyers must come out ahead of lapsed ones.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LtvIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "ltv-" + UUID.randomUUID().toString().substring(0, 8);

	private final Instant end = Instant.parse("2026-06-30T00:00:00Z");

	private UUID loyal;

	private UUID lapsed;

	private UUID oneTimer;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void purchases() {
		Random random = new Random(42);
		List<UUID> customers = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			UUID profile = profile();
			customers.add(profile);
			Instant first = this.end.minus(200 + random.nextInt(150), ChronoUnit.DAYS);
			double rate = 0.005 + random.nextDouble() * 0.05;
			Instant day = first;
			purchase(profile, day, 20 + random.nextInt(60));
			while (random.nextDouble() > 0.2) {
				day = day.plus((long) (-Math.log(1 - random.nextDouble()) / rate) + 1, ChronoUnit.DAYS);
				if (!day.isBefore(this.end)) {
					break;
				}
				purchase(profile, day, 20 + random.nextInt(60));
			}
		}
		// three we know: bought every week until the end; bought often but stopped 10
		// months ago;
		// bought once
		this.loyal = profile();
		for (int week = 0; week < 40; week++) {
			purchase(this.loyal, this.end.minus(274 - 7 * week, ChronoUnit.DAYS), 50);
		}
		this.lapsed = profile();
		for (int week = 0; week < 8; week++) {
			purchase(this.lapsed, this.end.minus(360 - 7 * week, ChronoUnit.DAYS), 50);
		}
		this.oneTimer = profile();
		purchase(this.oneTimer, this.end.minus(100, ChronoUnit.DAYS), 50);
		// a non-purchase event and a purchase without revenue count as no spend
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values (?, ?, ?, 'track', 'Product Viewed', ?, '{"price": 1000}'::jsonb)""",
				this.workspace, UUID.randomUUID(), this.oneTimer, Timestamp.from(this.end.minus(5, ChronoUnit.DAYS)));
	}

	@Test
	void fitsStoresAndServesPredictions() throws Exception {
		String model = this.mvc.perform(post("/v1/ltv/models").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.customers").value(203))
			.andExpect(jsonPath("$.observedUntil").value("2026-06-30T00:00:00Z"))
			.andExpect(jsonPath("$.bgNbd.r").isNumber())
			.andExpect(jsonPath("$.gammaGamma.p").isNumber())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat((Integer) JsonPath.read(model, "$.repeatCustomers")).isGreaterThan(100);

		double loyalSpend = predictedSpend(this.loyal);
		double lapsedSpend = predictedSpend(this.lapsed);
		assertThat(loyalSpend).isGreaterThan(lapsedSpend * 5);
		this.mvc.perform(get("/v1/profiles/{id}", this.loyal).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.ltv.purchases").value(40))
			.andExpect(jsonPath("$.ltv.expectedPurchases365").value(org.hamcrest.Matchers.greaterThan(5.0)))
			.andExpect(jsonPath("$.ltv.probabilityAlive").value(org.hamcrest.Matchers.greaterThan(0.8)));
		assertThat(this.jdbc.queryForObject(
				"select probability_alive from profile.profile_ltv where workspace_id = ? and profile_id = ?",
				Double.class, this.workspace, this.lapsed))
			.isLessThan(0.5);
		this.mvc.perform(get("/v1/profiles/{id}", this.oneTimer).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.ltv.purchases").value(1))
			.andExpect(jsonPath("$.ltv.probabilityAlive").value(1.0));

		// search by predicted value finds the loyal customer among the top
		String top = this.mvc
			.perform(post("/v1/profiles/search").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"limit\":200,\"filters\":[{\"field\":\"ltv.predictedSpend365\",\"op\":\"gte\",\"value\":"
						+ (loyalSpend - 0.01) + "}]}"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		List<String> ids = JsonPath.read(top, "$.profiles[*].profileId");
		assertThat(ids).contains(this.loyal.toString()).doesNotContain(this.lapsed.toString()).hasSizeLessThan(20);

		this.mvc.perform(get("/v1/ltv/distribution").param("bins", "10").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.customers").value(203))
			.andExpect(jsonPath("$.bins.length()").value(10))
			.andExpect(jsonPath("$.bins[9].to").doesNotExist());
		String distribution = this.mvc
			.perform(get("/v1/ltv/distribution").param("bins", "10").header(Workspace.HEADER, this.workspace))
			.andReturn()
			.getResponse()
			.getContentAsString();
		List<Integer> counts = JsonPath.read(distribution, "$.bins[*].customers");
		assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(203);

		// a refit replaces the predictions and is kept in the history
		this.mvc.perform(post("/v1/ltv/models").header(Workspace.HEADER, this.workspace)).andExpect(status().isOk());
		this.mvc.perform(get("/v1/ltv/models").header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.length()").value(2));
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile_ltv where workspace_id = ?",
				Long.class, this.workspace))
			.isEqualTo(203);
	}

	@Test
	void aWorkspaceWithoutPurchasesHasNoModel() throws Exception {
		this.mvc.perform(post("/v1/ltv/models").header(Workspace.HEADER, "empty-" + this.workspace))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/not-enough-data"));
		this.mvc.perform(get("/v1/ltv/distribution").header(Workspace.HEADER, "empty-" + this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.customers").value(0));
	}

	private double predictedSpend(UUID profile) {
		return this.jdbc.queryForObject(
				"select predicted_spend_365 from profile.profile_ltv where workspace_id = ? and profile_id = ?",
				Double.class, this.workspace, profile);
	}

	private UUID profile() {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, now(), now(), 1)""", this.workspace, id);
		return id;
	}

	private void purchase(UUID profile, Instant at, int revenue) {
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values (?, ?, ?, 'track', 'Order Completed', ?, jsonb_build_object('revenue', ?))""",
				this.workspace, UUID.randomUUID(), profile, Timestamp.from(at), revenue);
	}

}
