package io.lodestar.recommender.serving;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.recommender.Fixture;
import io.lodestar.recommender.RecommenderIntegrationTest;
import io.lodestar.recommender.feedback.RecommendationLog;
import io.lodestar.recommender.model.ModelRegistry;
import io.lodestar.web.Workspace;

import static io.lodestar.recommender.Fixture.f;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Serving on the real database, with a model planted in the contract tables whose right
 * answers are known by hand (rank 3):
 *
 * <pre>
 * item  factors          category  price  popularity
 * A     (1, 0, 0)        books     10     5
 * B     (0.9, 0.1, 0)    books     20     10
 * C     (0.8, 0, 0.2)    toys      30     3
 * D     (0.1, 1, 0)      toys      40     8
 * E     (0, 0.9, 0.1)    food      5      20
 * F     (0, 0, 1)        food      8      1
 * </pre>
 *
 * The known customer (1, 0.5, 0) prefers A 1.0, B 0.95, C 0.8, D 0.6, E 0.45, F 0 and
 * bought B in training. Popularity: E, B, D, A, C, F. Similar to A: B 0.994, C 0.970, D
 * 0.0995.
 */
class ServingIT extends RecommenderIntegrationTest {

	@Autowired
	ModelRegistry registry;

	@Autowired
	RecommendationLog log;

	Fixture data;

	UUID version;

	UUID known;

	UUID person;

	Instant trainedAt = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

	@BeforeEach
	void plantModel() {
		this.data = new Fixture(this.jdbc);
		this.data.item("A", "Atlas", "books", "10");
		this.data.item("B", "Bestiary", "books", "20");
		this.data.item("C", "Car", "toys", "30");
		this.data.item("D", "Doll", "toys", "40");
		this.data.item("E", "Eggs", "food", "5");
		this.data.item("F", "Flour", "food", "8");
		this.version = this.data.candidate(0.2, this.trainedAt);
		Map<String, float[]> factors = new LinkedHashMap<>();
		factors.put("A", f(1, 0, 0));
		factors.put("B", f(0.9, 0.1, 0));
		factors.put("C", f(0.8, 0, 0.2));
		factors.put("D", f(0.1, 1, 0));
		factors.put("E", f(0, 0.9, 0.1));
		factors.put("F", f(0, 0, 1));
		this.data.items(this.version, factors, Map.of("A", 5.0, "B", 10.0, "C", 3.0, "D", 8.0, "E", 20.0, "F", 1.0));
		this.known = this.data.profile("u-known");
		this.data.user(this.version, this.known, f(1, 0.5, 0), List.of("B"));
		// known to the model by the anonymous profile they had before they identified
		this.person = this.data.profile("u-person");
		this.data.user(this.version, this.data.mergedInto(this.person), f(0, 0, 1), List.of());
		this.data.serve(this.version);
		this.registry.reload();
	}

	@Test
	void aKnownCustomerGetsItemsInTheOrderOfTheirFactorsWithoutWhatTheyBought() throws Exception {
		call("/v1/recommendations/profiles/" + this.known + "?limit=3").andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.known.toString()))
			.andExpect(jsonPath("$.versionId").value(this.version.toString()))
			.andExpect(jsonPath("$.recommendationId").isString())
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "C", "D")))
			.andExpect(jsonPath("$.items[*].position", contains(1, 2, 3)))
			.andExpect(jsonPath("$.items[*].score", contains(1.0, 0.8, 0.6)))
			.andExpect(jsonPath("$.items[*].reason", everyItem(is("als"))))
			.andExpect(jsonPath("$.items[0].name").value("Atlas"))
			.andExpect(jsonPath("$.items[0].category").value("books"))
			.andExpect(jsonPath("$.items[0].price").value(10.0));
		// the default limit is 10: every model item but the one bought, best first
		call("/v1/recommendations/profiles/" + this.known).andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "C", "D", "E", "F")));
	}

	@Test
	void purchasesSinceTrainingAreExcludedTooUnlessTheirCategoryMayRepeat() throws Exception {
		this.data.order(this.known, Instant.now().minus(1, ChronoUnit.HOURS), "A");
		// bought before the model's training and not in its purchased list: read again
		// (the overlap covers events that arrived late), so excluded as well
		this.data.order(this.known, this.trainedAt.minus(2, ChronoUnit.HOURS), "D");
		call("/v1/recommendations/profiles/" + this.known + "?limit=3").andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("C", "E", "F")));

		// books are consumables in this workspace: A and B come back
		this.mvc
			.perform(put("/v1/recommendations/settings").header(Workspace.HEADER, this.data.workspace())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"repeatableCategories\":[\"Books\"]}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.repeatableCategories", contains("Books")))
			.andExpect(jsonPath("$.repeatableCategoriesSource").value("workspace"));
		call("/v1/recommendations/profiles/" + this.known + "?limit=3").andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "B", "C")));
	}

	@Test
	void filtersOnCategoryPriceAndAvailability() throws Exception {
		call("/v1/recommendations/profiles/" + this.known + "?category=TOYS").andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("C", "D")))
			.andExpect(jsonPath("$.items[*].reason", contains("als", "als")));
		call("/v1/recommendations/profiles/" + this.known + "?minPrice=8&maxPrice=30").andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "C", "F")));
		call("/v1/recommendations/profiles/" + this.known + "?category=food&maxPrice=6")
			.andExpect(jsonPath("$.items[*].itemId", contains("E")));

		this.mvc
			.perform(put("/v1/recommendations/items/C").header(Workspace.HEADER, this.data.workspace())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"available\":false}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.available").value(false));
		call("/v1/recommendations/profiles/" + this.known + "?limit=3")
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "D", "E")));
		// available=false: availability does not filter
		call("/v1/recommendations/profiles/" + this.known + "?limit=3&available=false")
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "C", "D")));
	}

	@Test
	void aNewCustomerGetsThePopularItemsOfTheCategoriesTheyLookedAtThenThePopularOnes() throws Exception {
		UUID viewer = this.data.profile("u-viewer");
		this.data.event(viewer, "Product Viewed", Instant.now().minusSeconds(60), "{\"product_id\":\"D\"}");
		call("/v1/recommendations/profiles/" + viewer + "?limit=4").andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(this.version.toString()))
			.andExpect(jsonPath("$.items[*].itemId", contains("D", "C", "E", "B")))
			.andExpect(jsonPath("$.items[*].reason",
					contains("popular-in-category", "popular-in-category", "popular", "popular")))
			.andExpect(jsonPath("$.items[*].score", contains(8.0, 3.0, 20.0, 10.0)));

		// a buyer of E (food): F, the other food item, then the popular ones; E is
		// excluded
		UUID buyer = this.data.profile("u-buyer");
		this.data.order(buyer, Instant.now().minusSeconds(60), "E");
		call("/v1/recommendations/profiles/" + buyer + "?limit=3")
			.andExpect(jsonPath("$.items[*].itemId", contains("F", "B", "D")))
			.andExpect(jsonPath("$.items[*].reason", contains("popular-in-category", "popular", "popular")));

		// nothing known at all: the popular items
		UUID stranger = this.data.profile();
		call("/v1/recommendations/profiles/" + stranger + "?limit=4")
			.andExpect(jsonPath("$.items[*].itemId", contains("E", "B", "D", "A")))
			.andExpect(jsonPath("$.items[*].reason", everyItem(is("popular"))));
		// with a category asked for: that category's popular items
		call("/v1/recommendations/profiles/" + stranger + "?category=books")
			.andExpect(jsonPath("$.items[*].itemId", contains("B", "A")))
			.andExpect(jsonPath("$.items[*].reason", everyItem(is("popular-in-category"))));
	}

	@Test
	void similarItemsByCosineAndPopularInCategoryForANewItem() throws Exception {
		String similar = call("/v1/recommendations/items/A/similar?limit=3").andExpect(status().isOk())
			.andExpect(jsonPath("$.itemId").value("A"))
			.andExpect(jsonPath("$.versionId").value(this.version.toString()))
			.andExpect(jsonPath("$.items[*].itemId", contains("B", "C", "D")))
			.andExpect(jsonPath("$.items[*].reason", everyItem(is("als"))))
			.andReturn()
			.getResponse()
			.getContentAsString();
		List<Double> cosines = JsonPath.read(similar, "$.items[*].score");
		assertThat(cosines.get(0)).isCloseTo(0.9 / Math.sqrt(0.82), within(1e-5));
		assertThat(cosines.get(1)).isCloseTo(0.8 / Math.sqrt(0.68), within(1e-5));
		assertThat(cosines.get(2)).isCloseTo(0.1 / Math.sqrt(1.01), within(1e-5));
		// a new item (in the catalogue, no factors yet): its category's popular items,
		// then the popular ones
		this.data.item("G", "Game", "toys", "25");
		this.mvc
			.perform(put("/v1/recommendations/items/G").header(Workspace.HEADER, this.data.workspace())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"available\":true}"))
			.andExpect(status().isOk());
		call("/v1/recommendations/items/G/similar?limit=4").andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("D", "C", "E", "B")))
			.andExpect(jsonPath("$.items[*].reason",
					contains("popular-in-category", "popular-in-category", "popular", "popular")));
		call("/v1/recommendations/items/nope/similar").andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/item-not-found"));
	}

	@Test
	void anyIdentifierAndMergedAwayIdsLeadToTheSurvivor() throws Exception {
		String email = "Known.Customer@Shop.io";
		this.data.identity("email_sha256", Identifiers.emailHash(email).orElseThrow(), this.known);
		this.data.identity("anonymous_id", "anon-1", this.known);
		this.data.identity("phone_sha256", Identifiers.phoneHash("+351 912 345 678").orElseThrow(), this.known);
		this.data.identity("device_id", "idfa-1", this.known);
		Map<String, String> identifiers = Map.of("userId", "u-known", "email", " known.customer@shop.IO", "anonymousId",
				"anon-1", "phone", "+351912345678", "deviceId", "idfa-1");
		for (Map.Entry<String, String> identifier : identifiers.entrySet()) {
			this.mvc
				.perform(get("/v1/recommendations").param(identifier.getKey(), identifier.getValue())
					.param("limit", "2")
					.header(Workspace.HEADER, this.data.workspace()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.profileId").value(this.known.toString()))
				.andExpect(jsonPath("$.items[*].itemId", contains("A", "C")));
		}
		// an id merged into the known customer answers for the survivor
		UUID mergedAway = this.data.mergedInto(this.known);
		call("/v1/recommendations/profiles/" + mergedAway + "?limit=2")
			.andExpect(jsonPath("$.profileId").value(this.known.toString()))
			.andExpect(jsonPath("$.items[*].itemId", contains("A", "C")));

		// the model knows the person by the anonymous profile they had before they
		// identified: the survivor gets that profile's preferences
		call("/v1/recommendations?userId=u-person&limit=3")
			.andExpect(jsonPath("$.profileId").value(this.person.toString()))
			.andExpect(jsonPath("$.items[*].itemId", contains("F", "C", "E")))
			.andExpect(jsonPath("$.items[*].reason", everyItem(is("als"))));
	}

	@Test
	void withoutAModelThePurchasesOfTheWorkspaceGivePopularityAndWithoutThoseTheListIsEmpty() throws Exception {
		Fixture empty = new Fixture(this.jdbc);
		UUID customer = empty.profile("c-1");
		this.mvc.perform(get("/v1/recommendations/profiles/" + customer).header(Workspace.HEADER, empty.workspace()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(nullValue()))
			.andExpect(jsonPath("$.items").isEmpty());

		Fixture fresh = new Fixture(this.jdbc);
		UUID first = fresh.profile("b-1");
		UUID second = fresh.profile("b-2");
		UUID third = fresh.profile("b-3");
		Instant now = Instant.now();
		fresh.order(first, now.minusSeconds(300), "X", "Y");
		fresh.order(second, now.minusSeconds(200), "Y");
		fresh.order(third, now.minusSeconds(100), "Y", "Z");
		fresh.order(third, now.minusSeconds(50), "X");
		fresh.item("Z", "Zither", "music", "99");
		UUID newcomer = fresh.profile("b-4");
		this.mvc.perform(get("/v1/recommendations/profiles/" + newcomer).header(Workspace.HEADER, fresh.workspace()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(nullValue()))
			.andExpect(jsonPath("$.items[*].itemId", contains("Y", "X", "Z")))
			.andExpect(jsonPath("$.items[*].score", contains(3.0, 2.0, 1.0)))
			.andExpect(jsonPath("$.items[2].name").value("Zither"));
		// the third buyer has bought all three
		this.mvc.perform(get("/v1/recommendations/profiles/" + third).header(Workspace.HEADER, fresh.workspace()))
			.andExpect(jsonPath("$.items").isEmpty());
	}

	@Test
	void unknownProfilesAndItemsAre404AndMalformedRequests400() throws Exception {
		call("/v1/recommendations/profiles/" + UUID.randomUUID()).andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"));
		call("/v1/recommendations?userId=nobody").andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"));
		// the same profile in another workspace is unknown there
		this.mvc
			.perform(get("/v1/recommendations/profiles/" + this.known).header(Workspace.HEADER, "another-workspace"))
			.andExpect(status().isNotFound());

		for (String bad : List.of("/v1/recommendations/profiles/not-a-uuid",
				"/v1/recommendations/profiles/" + this.known + "?limit=0",
				"/v1/recommendations/profiles/" + this.known + "?limit=101",
				"/v1/recommendations/profiles/" + this.known + "?limit=ten",
				"/v1/recommendations/profiles/" + this.known + "?minPrice=cheap",
				"/v1/recommendations/profiles/" + this.known + "?minPrice=-1",
				"/v1/recommendations/profiles/" + this.known + "?minPrice=50&maxPrice=10",
				"/v1/recommendations/profiles/" + this.known + "?available=maybe",
				"/v1/recommendations/profiles/" + this.known + "?categroy=books",
				"/v1/recommendations/profiles/" + this.known + "?limit=1&limit=2", "/v1/recommendations",
				"/v1/recommendations?userId=a&anonymousId=b", "/v1/recommendations?email=not-an-address",
				"/v1/recommendations?userId=undefined", "/v1/recommendations?userId=u-known&profile=x",
				"/v1/recommendations/items/A/similar?limit=-3")) {
			call(bad).andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type", startsWith("https://lodestar.io/problems/invalid-")))
				.andExpect(jsonPath("$.detail").isString());
		}
		this.mvc.perform(get("/v1/recommendations/profiles/" + this.known))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/missing-workspace"));
	}

	@Test
	void everyAnswerIsLoggedWithItsItemsInOrder() throws Exception {
		String body = call("/v1/recommendations/profiles/" + this.known + "?limit=3").andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(body, "$.recommendationId");
		this.log.flush();
		Map<String, Object> row = this.jdbc
			.queryForMap("select workspace_id, profile_id, version_id, array_to_string(items, ',') as items,"
					+ " array_to_string(reasons, ',') as reasons from recommender.recommendation_log"
					+ " where recommendation_id = ?::uuid", id);
		assertThat(row).containsEntry("workspace_id", this.data.workspace())
			.containsEntry("profile_id", this.known)
			.containsEntry("version_id", this.version)
			.containsEntry("items", "A,C,D")
			.containsEntry("reasons", "als,als,als");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.served_profile where workspace_id = ? and profile_id = ?",
				Integer.class, this.data.workspace(), this.known))
			.isEqualTo(1);
	}

	private ResultActions call(String path) throws Exception {
		return this.mvc.perform(get(path).header(Workspace.HEADER, this.data.workspace()));
	}

}
