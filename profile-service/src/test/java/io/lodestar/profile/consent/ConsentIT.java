package io.lodestar.profile.consent;

import java.util.UUID;

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
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Consent on the real schema: decisions per purpose, the latest wins, merged ids answer
 * for their survivor, the profile document shows the state.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConsentIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "consent-" + UUID.randomUUID().toString().substring(0, 8);

	private final UUID profileId = UUID.randomUUID();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void profile() {
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, now(), now(), 1)""", this.workspace, this.profileId);
	}

	@Test
	void recordsDecisionsPerPurposeAndShowsThemOnTheProfile() throws Exception {
		this.mvc.perform(get("/v1/profiles/{id}/consent", this.profileId).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.purposes").isEmpty());

		decide(this.profileId,
				"""
						{"purposes":{"marketing":{"granted":true,"source":"cookie-banner","recordedAt":"2026-11-20T10:00:00Z"},
						             "analytics":{"granted":false,"source":"cookie-banner","recordedAt":"2026-11-20T10:00:00Z"}}}""")
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.profileId.toString()))
			.andExpect(jsonPath("$.purposes.marketing.granted").value(true))
			.andExpect(jsonPath("$.purposes.marketing.source").value("cookie-banner"))
			.andExpect(jsonPath("$.purposes.analytics.granted").value(false))
			.andExpect(jsonPath("$.purposes.personalisation").doesNotExist());

		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.consent.marketing.granted").value(true))
			.andExpect(jsonPath("$.consent.marketing.recordedAt").value("2026-11-20T10:00:00Z"));
	}

	@Test
	void theLatestDecisionWinsWhateverTheOrderOfArrival() throws Exception {
		decide(this.profileId,
				"""
						{"purposes":{"marketing":{"granted":false,"source":"preference-centre","recordedAt":"2026-11-22T08:00:00Z"}}}""")
			.andExpect(status().isOk());
		// an older decision that arrives late is kept out
		decide(this.profileId,
				"""
						{"purposes":{"marketing":{"granted":true,"source":"cookie-banner","recordedAt":"2026-11-21T08:00:00Z"}}}""")
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.purposes.marketing.granted").value(false))
			.andExpect(jsonPath("$.purposes.marketing.source").value("preference-centre"));
		// a newer one replaces it; without recordedAt it is now
		decide(this.profileId, """
				{"purposes":{"marketing":{"granted":true,"source":"support-call"}}}""").andExpect(status().isOk())
			.andExpect(jsonPath("$.purposes.marketing.granted").value(true))
			.andExpect(jsonPath("$.purposes.marketing.source").value("support-call"));
	}

	@Test
	void aMergedAwayIdRecordsOnTheSurvivor() throws Exception {
		UUID mergedAway = UUID.randomUUID();
		this.jdbc.update(
				"insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason) values (?, ?, ?, 'anonymous_identified')",
				this.workspace, mergedAway, this.profileId);

		decide(mergedAway, """
				{"purposes":{"personalisation":{"granted":true,"source":"app-settings"}}}""").andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.profileId.toString()));
		this.mvc.perform(get("/v1/profiles/{id}/consent", this.profileId).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.purposes.personalisation.granted").value(true));
	}

	@Test
	void badDecisionsAre400sThatPointAtTheirPurpose() throws Exception {
		assertInvalid("{\"purposes\":{}}", "/purposes");
		assertInvalid("{\"purposes\":{\"sales\":{\"granted\":true,\"source\":\"x\"}}}", "/purposes/sales");
		assertInvalid("{\"purposes\":{\"marketing\":{\"source\":\"x\"}}}", "/purposes/marketing/granted");
		assertInvalid("{\"purposes\":{\"marketing\":{\"granted\":true}}}", "/purposes/marketing/source");
		assertInvalid(
				"{\"purposes\":{\"marketing\":{\"granted\":true,\"source\":\"x\",\"recordedAt\":\"2099-01-01T00:00:00Z\"}}}",
				"/purposes/marketing/recordedAt");
		decide(UUID.randomUUID(), "{\"purposes\":{\"marketing\":{\"granted\":true,\"source\":\"x\"}}}")
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"));
		// nothing was written by the rejected requests
		this.mvc.perform(get("/v1/profiles/{id}/consent", this.profileId).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.purposes").isEmpty());
	}

	private void assertInvalid(String body, String pointer) throws Exception {
		decide(this.profileId, body).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-consent"))
			.andExpect(jsonPath("$.pointer").value(pointer));
	}

	private ResultActions decide(UUID id, String body) throws Exception {
		return this.mvc.perform(put("/v1/profiles/{id}/consent", id).header(Workspace.HEADER, this.workspace)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

}
