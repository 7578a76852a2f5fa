package io.lodestar.recommender.catalogue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.lodestar.recommender.Fixture;
import io.lodestar.recommender.RecommenderIntegrationTest;
import io.lodestar.web.Workspace;

import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The catalogue API: availability and overrides that win over what the training job
 * upserts, listing by category in pages, and clear 400s.
 */
class CatalogueIT extends RecommenderIntegrationTest {

	Fixture data;

	@Test
	void overridesWinOverTheTrainingJobsValuesUntilCleared() throws Exception {
		this.data = new Fixture(this.jdbc);
		this.data.item("mug-1", "Mug", "kitchen", "4.50");
		call(put("/v1/recommendations/items/mug-1").contentType(MediaType.APPLICATION_JSON)
			.content("{\"available\":false,\"name\":\"Big mug\",\"price\":5.25}")).andExpect(status().isOk())
			.andExpect(jsonPath("$.itemId").value("mug-1"))
			.andExpect(jsonPath("$.available").value(false))
			.andExpect(jsonPath("$.name").value("Big mug"))
			.andExpect(jsonPath("$.category").value("kitchen"))
			.andExpect(jsonPath("$.brand").value("Acme"))
			.andExpect(jsonPath("$.price").value(5.25));
		// the training job upserts the item again (it never writes availability)
		this.data.item("mug-1", "Mug (trained)", "home", "4.75");
		call(get("/v1/recommendations/items/mug-1")).andExpect(jsonPath("$.name").value("Big mug"))
			.andExpect(jsonPath("$.category").value("home"))
			.andExpect(jsonPath("$.price").value(5.25))
			.andExpect(jsonPath("$.available").value(false));
		// null clears an override; fields left out are unchanged
		call(put("/v1/recommendations/items/mug-1").contentType(MediaType.APPLICATION_JSON).content("{\"name\":null}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("Mug (trained)"))
			.andExpect(jsonPath("$.price").value(5.25))
			.andExpect(jsonPath("$.available").value(false));
		call(put("/v1/recommendations/items/mug-1").contentType(MediaType.APPLICATION_JSON)
			.content("{\"price\":null,\"available\":true}")).andExpect(status().isOk())
			.andExpect(jsonPath("$.price").value(4.75))
			.andExpect(jsonPath("$.available").value(true));
		// an item the catalogue did not know is added
		call(put("/v1/recommendations/items/new-1").contentType(MediaType.APPLICATION_JSON)
			.content("{\"category\":\"home\"}")).andExpect(status().isOk())
			.andExpect(jsonPath("$.available").value(true))
			.andExpect(jsonPath("$.category").value("home"));
		call(get("/v1/recommendations/items/unknown")).andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/item-not-found"));
	}

	@Test
	void listsByCategoryInPages() throws Exception {
		this.data = new Fixture(this.jdbc);
		for (String id : List.of("t-3", "t-1", "t-2", "t-4")) {
			this.data.item(id, "Tea " + id, "Tea", "3");
		}
		this.data.item("c-1", "Coffee", "Coffee", "7");
		call(get("/v1/recommendations/items?category=tea&limit=3")).andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].itemId", contains("t-1", "t-2", "t-3")))
			.andExpect(jsonPath("$.nextAfter").value("t-3"));
		call(get("/v1/recommendations/items?category=tea&limit=3&after=t-3"))
			.andExpect(jsonPath("$.items[*].itemId", contains("t-4")))
			.andExpect(jsonPath("$.nextAfter").doesNotExist());
		call(get("/v1/recommendations/items")).andExpect(jsonPath("$.items.length()").value(5));
		// another workspace sees none of them
		this.mvc.perform(get("/v1/recommendations/items").header(Workspace.HEADER, "elsewhere"))
			.andExpect(jsonPath("$.items.length()").value(0));
	}

	@Test
	void badItemsAre400() throws Exception {
		this.data = new Fixture(this.jdbc);
		for (String body : List.of("{}", "[]", "{\"available\":\"no\"}", "{\"price\":-1}", "{\"price\":\"3\"}",
				"{\"name\":\"\"}", "{\"name\":42}", "{\"colour\":\"red\"}")) {
			call(put("/v1/recommendations/items/x").contentType(MediaType.APPLICATION_JSON).content(body))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-item"));
		}
		call(put("/v1/recommendations/items/x").contentType(MediaType.APPLICATION_JSON).content("{\"name\":"))
			.andExpect(status().isBadRequest());
		call(get("/v1/recommendations/items?limit=0")).andExpect(status().isBadRequest());
		call(get("/v1/recommendations/items/" + "x".repeat(256))).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-item-id"));
	}

	private ResultActions call(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request.header(Workspace.HEADER, this.data.workspace()));
	}

}
