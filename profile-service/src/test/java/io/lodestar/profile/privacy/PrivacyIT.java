package io.lodestar.profile.privacy;

import java.util.List;
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
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Access and erasure on the real schema. The worker is driven by the test (its schedule
 * is an hour) so every state is observed deterministically. No lake is configured here:
 * the platform end-to-end test covers the lake.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PrivacyIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PrivacyWorker worker;

	private final String workspace = "privacy-" + UUID.randomUUID().toString().substring(0, 8);

	private final UUID person = UUID.randomUUID();

	private final UUID mergedVisitor = UUID.randomUUID();

	private final UUID bystander = UUID.randomUUID();

	private final String userId = "u-" + this.person;

	private final String anonymousId = "a-" + this.mergedVisitor;

	private final String email = "grace." + this.person + "@hopper.dev";

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void aPersonWithHistory() {
		profile(this.person, this.userId, "{\"email\":\"" + this.email + "\",\"name\":\"Grace\"}");
		profile(this.bystander, "u-" + this.bystander, "{\"name\":\"Someone else\"}");
		identity(this.person, "user_id", this.userId);
		identity(this.person, "anonymous_id", this.anonymousId);
		identity(this.person, "email_sha256", Identifiers.emailHash(this.email).orElseThrow());
		identity(this.bystander, "user_id", "u-" + this.bystander);
		this.jdbc.update(
				"insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason) values (?, ?, ?, 'anonymous_identified')",
				this.workspace, this.mergedVisitor, this.person);
		for (UUID profile : List.of(this.person, this.bystander)) {
			this.jdbc.update(
					"""
							insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
							values (?, ?, ?, 'track', 'Order Completed', now(), '{"revenue": 42.5}'::jsonb)""",
					this.workspace, UUID.randomUUID(), profile);
			this.jdbc.update(
					"""
							insert into profile.profile_event_count (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
							values (?, ?, 'track', 'Order Completed', 1, now(), now())""",
					this.workspace, profile);
		}
		this.jdbc.update("""
				insert into profile.profile_consent (workspace_id, profile_id, purpose, granted, source, recorded_at)
				values (?, ?, 'marketing', true, 'cookie-banner', now())""", this.workspace, this.person);
	}

	@Test
	void erasureRemovesThePersonFromEveryProfileTableAndSuppressesTheirIdentifiers() throws Exception {
		String location = request("{\"kind\":\"erasure\",\"subject\":{\"email\":\"" + this.email.toUpperCase() + "\"}}")
			.andExpect(status().isAccepted())
			.andExpect(header().exists("Location"))
			.andExpect(jsonPath("$.status").value("pending"))
			.andExpect(jsonPath("$.profileId").value(this.person.toString()))
			.andReturn()
			.getResponse()
			.getHeader("Location");

		this.worker.runDue();

		this.mvc.perform(get(location).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("completed"))
			.andExpect(jsonPath("$.profileId").doesNotExist())
			.andExpect(jsonPath("$.result.profiles").value(1))
			.andExpect(jsonPath("$.result.mergedProfiles").value(1))
			.andExpect(jsonPath("$.result.identities").value(3))
			.andExpect(jsonPath("$.result.events").value(1))
			.andExpect(jsonPath("$.result.suppressedIdentifiers").value(3))
			.andExpect(jsonPath("$.result.lake").value("not configured"));

		// no row of any table in the profile schema carries the person's ids, identifiers
		// or their hashes
		List<String> needles = List.of(this.person.toString(), this.mergedVisitor.toString(), this.userId,
				this.anonymousId, this.email, Identifiers.emailHash(this.email).orElseThrow());
		List<String> tables = this.jdbc.queryForList(
				"select table_name from information_schema.tables where table_schema = 'profile' and table_type = 'BASE TABLE'"
						+ " and table_name <> 'flyway_schema_history'",
				String.class);
		assertThat(tables).contains("profile", "profile_identity", "profile_event", "suppressed_identity",
				"privacy_audit", "privacy_request");
		for (String table : tables) {
			List<String> rows = this.jdbc.queryForList("select t::text from profile." + table + " t", String.class);
			for (String needle : needles) {
				assertThat(rows).as(table).noneMatch((row) -> row.contains(needle));
			}
		}
		// the request itself stays, for its status, without the profile id it was made
		// for
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.privacy_request where workspace_id = ? and profile_id is null",
				Long.class, this.workspace))
			.isEqualTo(1);
		// the bystander is untouched
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_event where workspace_id = ? and profile_id = ?", Long.class,
				this.workspace, this.bystander))
			.isEqualTo(1);
		// the suppression list holds each identifier's suppression hash
		assertThat(this.jdbc.queryForList(
				"select value_sha256 from profile.suppressed_identity where workspace_id = ? order by kind",
				String.class, this.workspace))
			.containsExactlyInAnyOrder(Identifiers.suppressionHash(IdentifierKind.USER_ID, this.userId),
					Identifiers.suppressionHash(IdentifierKind.ANONYMOUS_ID, this.anonymousId), Identifiers
						.suppressionHash(IdentifierKind.EMAIL_SHA256, Identifiers.emailHash(this.email).orElseThrow()));
		// the audit trail says what happened, with counts
		String audit = this.mvc.perform(get("/v1/privacy/audit").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].action").value("erasure.completed"))
			.andExpect(jsonPath("$[0].detail.profiles").value(1))
			.andExpect(jsonPath("$[1].action").value("erasure.requested"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(audit).doesNotContain(this.userId).doesNotContain(this.email);
		// the person is gone from the API too
		this.mvc.perform(get("/v1/profiles").param("userId", this.userId).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNotFound());
		this.mvc.perform(get("/v1/profiles/{id}", this.mergedVisitor).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNotFound());
	}

	@Test
	void accessExportsEverythingHeldOnThePersonOnceCompleted() throws Exception {
		String body = request("{\"kind\":\"access\",\"subject\":{\"userId\":\"" + this.userId + "\"}}")
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(body, "$.requestId");
		this.mvc.perform(get("/v1/privacy/requests/{id}/export", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/export-not-ready"));

		this.worker.runDue();

		this.mvc.perform(get("/v1/privacy/requests/{id}", id).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.status").value("completed"))
			.andExpect(jsonPath("$.result.events").value(1));
		this.mvc.perform(get("/v1/privacy/requests/{id}/export", id).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Disposition", "attachment; filename=\"access-" + id + ".json\""))
			.andExpect(jsonPath("$.profile.profileId").value(this.person.toString()))
			.andExpect(jsonPath("$.profile.traits.email").value(this.email))
			.andExpect(jsonPath("$.profile.identities.length()").value(3))
			.andExpect(jsonPath("$.profile.consent.marketing.granted").value(true))
			.andExpect(jsonPath("$.mergedProfileIds[0]").value(this.mergedVisitor.toString()))
			.andExpect(jsonPath("$.events.length()").value(1))
			.andExpect(jsonPath("$.events[0].name").value("Order Completed"))
			.andExpect(jsonPath("$.events[0].properties.revenue").value(42.5));
		// access changes nothing
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where workspace_id = ?", Long.class,
				this.workspace))
			.isEqualTo(2);
		// and another workspace cannot read it
		this.mvc.perform(get("/v1/privacy/requests/{id}/export", id).header(Workspace.HEADER, "other"))
			.andExpect(status().isNotFound());
	}

	@Test
	void badRequestsAreProblemsThatPointAtTheirPart() throws Exception {
		request("{\"kind\":\"forget\",\"subject\":{\"userId\":\"x\"}}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/kind"));
		request("{\"kind\":\"erasure\"}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/subject"));
		request("{\"kind\":\"erasure\",\"subject\":{\"userId\":\"a\",\"email\":\"b@c.io\"}}")
			.andExpect(status().isBadRequest());
		request("{\"kind\":\"erasure\",\"subject\":{\"profileId\":\"nope\"}}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/subject/profileId"));
		request("{\"kind\":\"erasure\",\"subject\":{\"email\":\"not-an-email\"}}").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.pointer").value("/subject/email"));
		request("{\"kind\":\"erasure\",\"subject\":{\"userId\":\"nobody-at-all\"}}").andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"));
		this.mvc.perform(get("/v1/privacy/requests/{id}", UUID.randomUUID()).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/privacy-request-not-found"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile.privacy_request where workspace_id = ?",
				Long.class, this.workspace))
			.isZero();
	}

	private ResultActions request(String body) throws Exception {
		return this.mvc.perform(post("/v1/privacy/requests").header(Workspace.HEADER, this.workspace)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private void profile(UUID id, String userId, String traits) {
		this.jdbc.update(
				"""
						insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
						values (?, ?, ?, ?::jsonb, now(), now(), 1)""",
				this.workspace, id, userId, traits);
	}

	private void identity(UUID profile, String kind, String value) {
		this.jdbc.update(
				"""
						insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
						values (?, ?, ?, ?, now(), now())""",
				this.workspace, kind, value, profile);
	}

}
