package io.lodestar.recommender.feedback;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.lodestar.recommender.Fixture;
import io.lodestar.recommender.RecommenderIntegrationTest;
import io.lodestar.recommender.model.ModelRegistry;
import io.lodestar.web.Workspace;

import static io.lodestar.recommender.Fixture.f;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Impressions, clicks and purchases come back as the collector events the website sends
 * (written by the pipeline into {@code profile.profile_event}, here directly), and are
 * counted against the answers logged, per model version.
 */
class FeedbackIT extends RecommenderIntegrationTest {

	@Autowired
	ModelRegistry registry;

	@Autowired
	RecommendationLog log;

	@Test
	void countsImpressionsClicksAndPurchasesOfTheAnswersOfEachVersion() throws Exception {
		Fixture data = new Fixture(this.jdbc);
		UUID version = data.candidate(0.3, Instant.now().minus(10, ChronoUnit.DAYS));
		Map<String, float[]> factors = new LinkedHashMap<>();
		factors.put("A", f(1.0));
		factors.put("B", f(0.5));
		factors.put("C", f(0.25));
		factors.put("D", f(0.1));
		data.items(version, factors, Map.of("A", 1.0));
		UUID first = data.profile("f-1");
		UUID second = data.profile("f-2");
		UUID unseen = data.profile("f-3");
		for (UUID profile : List.of(first, second, unseen)) {
			data.user(version, profile, f(1.0), List.of());
		}
		data.serve(version);
		this.registry.reload();

		String r1 = recommend(data, first);
		String r2 = recommend(data, second);
		String r3 = recommend(data, unseen);
		// the answers were given four days ago, shown three days ago
		this.log.flush();
		this.jdbc.update("update recommender.recommendation_log set served_at = served_at - interval '4 days'"
				+ " where workspace_id = ?", data.workspace());
		Instant shown = Instant.now().minus(3, ChronoUnit.DAYS);
		// the first answer: two of its items shown, one clicked (and one click on an
		// item it did not hold), the clicked one bought two days later
		data.event(first, "Product List Viewed", shown, "{\"list_id\":\"recommendations\",\"recommendation_id\":\"" + r1
				+ "\",\"products\":[{\"product_id\":\"A\",\"position\":1},{\"product_id\":\"B\",\"position\":2}]}");
		data.event(first, "Product Clicked", shown.plusSeconds(5),
				"{\"recommendation_id\":\"" + r1 + "\",\"product_id\":\"B\"}");
		data.event(first, "Product Clicked", shown.plusSeconds(6),
				"{\"recommendation_id\":\"" + r1 + "\",\"product_id\":\"Z\"}");
		data.order(first, shown.plus(2, ChronoUnit.DAYS), "B", "Q");
		// the second answer: shown without a product list (all its items count), the
		// same impression sent twice, a click, and a purchase too late (8 days)
		for (int repeat = 0; repeat < 2; repeat++) {
			data.event(second, "Product List Viewed", shown,
					"{\"list_id\":\"recommendations\",\"recommendation_id\":\"" + r2 + "\"}");
		}
		data.event(second, "Product Clicked", shown.plusSeconds(30),
				"{\"recommendation_id\":\"" + r2 + "\",\"product_id\":\"D\"}");
		data.order(second, shown.plus(8, ChronoUnit.DAYS), "D");
		// the third answer was never shown: its purchase is no conversion
		data.order(unseen, shown.plusSeconds(60), "A");
		// someone else's purchase of a shown item does not count for the first answer
		data.order(unseen, shown.plusSeconds(90), "A", "B");
		// another workspace's events with the same recommendation id count nowhere
		Fixture other = new Fixture(this.jdbc);
		UUID stranger = other.profile("s-1");
		other.event(stranger, "Product List Viewed", shown, "{\"recommendation_id\":\"" + r3 + "\"}");
		other.event(stranger, "Product Clicked", shown, "{\"recommendation_id\":\"" + r3 + "\",\"product_id\":\"A\"}");

		this.mvc
			.perform(get("/v1/recommendations/models/" + version + "/feedback").header(Workspace.HEADER,
					data.workspace()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(version.toString()))
			.andExpect(jsonPath("$.served").value(3))
			.andExpect(jsonPath("$.impressions").value(2))
			.andExpect(jsonPath("$.itemImpressions").value(6))
			.andExpect(jsonPath("$.clicks").value(2))
			.andExpect(jsonPath("$.itemClicks").value(2))
			.andExpect(jsonPath("$.purchases").value(1))
			.andExpect(jsonPath("$.itemPurchases").value(1))
			.andExpect(jsonPath("$.clickThroughRate").value(1.0))
			.andExpect(jsonPath("$.conversionRate").value(0.5));

		this.mvc.perform(get("/v1/recommendations/feedback").header(Workspace.HEADER, data.workspace()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.versions.length()").value(1))
			.andExpect(jsonPath("$.versions[0].versionId").value(version.toString()))
			.andExpect(jsonPath("$.versions[0].served").value(3));
		// a version that never answered: zeros, no rates
		UUID idle = data.candidate(0.1, Instant.now());
		this.mvc
			.perform(get("/v1/recommendations/models/" + idle + "/feedback").header(Workspace.HEADER, data.workspace()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.served").value(0))
			.andExpect(jsonPath("$.clickThroughRate").isEmpty());
		this.mvc
			.perform(get("/v1/recommendations/models/" + version + "/feedback").header(Workspace.HEADER,
					other.workspace()))
			.andExpect(status().isNotFound());
	}

	private String recommend(Fixture data, UUID profile) throws Exception {
		String body = this.mvc
			.perform(get("/v1/recommendations/profiles/" + profile).header(Workspace.HEADER, data.workspace()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat((List<String>) JsonPath.read(body, "$.items[*].itemId")).containsExactly("A", "B", "C", "D");
		return JsonPath.read(body, "$.recommendationId");
	}

}
