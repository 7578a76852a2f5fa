package io.lodestar.profile.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The timeline on the real schema: newest first, every event exactly once across pages
 * even while new events arrive, filters, and the usual problems.
 */
@SpringBootTest
@AutoConfigureMockMvc
class TimelineIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final UUID profileId = UUID.randomUUID();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void insertProfileWithSevenEvents() {
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values ('ws-t', ?, '2026-11-01T00:00:00Z', '2026-11-07T00:00:00Z', 7)""", this.profileId);
		String[][] events = { { "track", "Viewed", "2026-11-01T10:00:00Z" }, { "page", "", "2026-11-02T10:00:00Z" },
				{ "track", "Added", "2026-11-03T10:00:00Z" }, { "track", "Added", "2026-11-03T10:00:00Z" },
				{ "identify", "", "2026-11-04T10:00:00Z" }, { "track", "Ordered", "2026-11-05T10:00:00Z" },
				{ "track", "Viewed", "2026-11-06T10:00:00Z" } };
		for (String[] event : events) {
			insertEvent(event[0], event[1], event[2]);
		}
	}

	@Test
	void pagesNewestFirstWithEveryEventExactlyOnceWhileNewOnesArrive() throws Exception {
		List<String> seen = new ArrayList<>();
		List<String> times = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = read(request().param("limit", "3").param("cursor", (cursor != null) ? cursor : ""));
			page.path("events").forEach((event) -> {
				seen.add(event.path("eventId").asString());
				times.add(event.path("occurredAt").asString());
			});
			cursor = page.path("nextCursor").isMissingNode() ? null : page.path("nextCursor").asString();
			// a newer event arriving between pages must not shift the pages already begun
			insertEvent("track", "Arrived later", "2026-11-09T10:00:00Z");
			pages++;
		}
		while (cursor != null);

		assertThat(pages).isEqualTo(3);
		assertThat(seen).hasSize(7).doesNotHaveDuplicates();
		assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
		assertThat(times.get(0)).isEqualTo("2026-11-06T10:00:00Z");
	}

	@Test
	void filtersByTypeAndTime() throws Exception {
		JsonNode tracks = read(request().param("type", "track"));
		JsonNode window = read(request().param("from", "2026-11-02T00:00:00Z").param("to", "2026-11-04T00:00:00Z"));

		assertThat(tracks.path("events")).hasSize(5)
			.allSatisfy((event) -> assertThat(event.path("type").asString()).isEqualTo("track"));
		assertThat(window.path("events")).hasSize(3);
		assertThat(window.path("events").get(0).path("properties").path("sku").asString()).isEqualTo("P-1");
	}

	@Test
	void badParametersAndUnknownProfilesAreProblems() throws Exception {
		this.mvc.perform(request().param("cursor", "not-a-cursor"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-cursor"));
		this.mvc.perform(request().param("limit", "0")).andExpect(status().isBadRequest());
		this.mvc.perform(request().param("type", "purchase")).andExpect(status().isBadRequest());
		this.mvc.perform(request().param("from", "2026-11-05T00:00:00Z").param("to", "2026-11-01T00:00:00Z"))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/v1/profiles/{id}/events", UUID.randomUUID()).header(Workspace.HEADER, "ws-t"))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/v1/profiles/{id}/events", this.profileId).header(Workspace.HEADER, "ws-other"))
			.andExpect(status().isNotFound());
	}

	@Test
	void aMergedAwayIdReadsTheSurvivorsTimeline() throws Exception {
		UUID mergedAway = UUID.randomUUID();
		this.jdbc.update(
				"insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason) values ('ws-t', ?, ?, 'test')",
				mergedAway, this.profileId);

		JsonNode page = read(get("/v1/profiles/{id}/events", mergedAway).header(Workspace.HEADER, "ws-t"));

		assertThat(page.path("profileId").asString()).isEqualTo(this.profileId.toString());
		assertThat(page.path("events")).hasSize(7);
	}

	private void insertEvent(String type, String name, String at) {
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values ('ws-t', ?, ?, ?, ?, ?::timestamptz, '{"sku":"P-1"}'::jsonb)""",
				UUID.randomUUID(), this.profileId, type, name, at);
	}

	private MockHttpServletRequestBuilder request() {
		return get("/v1/profiles/{id}/events", this.profileId).header(Workspace.HEADER, "ws-t");
	}

	private JsonNode read(MockHttpServletRequestBuilder request) throws Exception {
		String body = this.mvc.perform(request)
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JSON.readTree(body);
	}

}
