package io.lodestar.profile.lookup;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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

import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.web.Workspace;
import io.lodestar.testsupport.TestInfrastructure;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Lookups on the real schema (this service's migrations on a real PostgreSQL), rows
 * written as etl-service writes them; no workspace sees another's profiles.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ProfileLookupIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final UUID profileId = UUID.randomUUID();

	private final String userId = "u-" + this.profileId;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeEach
	void insertProfile() {
		this.jdbc.update(
				"""
						insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
						values ('ws-a', ?, ?, '{"plan":"pro","address":{"city":"Porto"}}'::jsonb,
						        '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', 3)""",
				this.profileId, this.userId);
		this.jdbc.update(
				"""
						insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
						values ('ws-a', 'user_id', ?, ?, '2026-11-20T09:30:00Z', '2026-11-20T10:00:00Z'),
						       ('ws-a', 'anonymous_id', ?, ?, '2026-11-20T09:00:00Z', '2026-11-20T09:30:00Z'),
						       ('ws-a', 'email_sha256', ?, ?, '2026-11-20T09:30:00Z', '2026-11-20T09:30:00Z'),
						       ('ws-a', 'phone_sha256', ?, ?, '2026-11-20T09:30:00Z', '2026-11-20T09:30:00Z'),
						       ('ws-a', 'device_id', ?, ?, '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z'),
						       ('ws-a', 'customer_id', ?, ?, '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z')""",
				this.userId, this.profileId, "a-" + this.profileId, this.profileId, Identifiers.sha256(email()),
				this.profileId, Identifiers.sha256("+3519" + phoneDigits()), this.profileId, "idfa-" + this.profileId,
				this.profileId, "shopify:" + this.profileId, this.profileId);
		this.jdbc.update(
				"""
						insert into profile.profile_event_count (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
						values ('ws-a', ?, 'track', 'Order Completed', 2, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z'),
						       ('ws-a', ?, 'identify', '', 1, '2026-11-20T09:30:00Z', '2026-11-20T09:30:00Z')""",
				this.profileId, this.profileId);
	}

	@Test
	void readsTheWholeDocumentById() throws Exception {
		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.userId").value(this.userId))
			.andExpect(jsonPath("$.mergedFrom").doesNotExist())
			.andExpect(jsonPath("$.traits.plan").value("pro"))
			.andExpect(jsonPath("$.traits.address.city").value("Porto"))
			.andExpect(jsonPath("$.identities.length()").value(6))
			.andExpect(jsonPath("$.identities[0].kind").value("anonymous_id"))
			.andExpect(jsonPath("$.computed.eventCount").value(3))
			.andExpect(jsonPath("$.computed.firstSeenAt").value("2026-11-20T09:00:00Z"))
			.andExpect(jsonPath("$.computed.eventCountsByType.track").value(2))
			.andExpect(jsonPath("$.computed.eventCountsByType.identify").value(1))
			.andExpect(jsonPath("$.computed.trackEventCounts['Order Completed']").value(2))
			.andExpect(jsonPath("$.computed.sessions").value(0))
			.andExpect(jsonPath("$.computed.orders").value(0))
			.andExpect(jsonPath("$.computed.averageOrderValue").doesNotExist())
			.andExpect(jsonPath("$.computed.acquisition").doesNotExist());
	}

	@Test
	void readsTheComputedTraitsThePipelineKeeps() throws Exception {
		Instant lastPurchase = Instant.now().minus(Duration.ofDays(12)).minusSeconds(3600);
		this.jdbc.update(
				"""
						insert into profile.profile_computed (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at,
						       last_purchase_at, favourite_category, favourite_brand, acquisition_source, acquisition_medium,
						       acquisition_campaign, acquisition_channel, acquired_at)
						values ('ws-a', ?, 4, 3, 100.5, '2026-11-20T09:10:00Z', ?, 'lighting', 'lumo', 'facebook', 'paid_social',
						        'Spring Sale', 'Paid Social', '2026-11-20T09:00:00Z')""",
				this.profileId, Timestamp.from(lastPurchase));
		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.computed.eventCount").value(3))
			.andExpect(jsonPath("$.computed.sessions").value(4))
			.andExpect(jsonPath("$.computed.orders").value(3))
			.andExpect(jsonPath("$.computed.revenue").value(100.5))
			.andExpect(jsonPath("$.computed.averageOrderValue").value(33.5))
			.andExpect(jsonPath("$.computed.firstPurchaseAt").value("2026-11-20T09:10:00Z"))
			.andExpect(jsonPath("$.computed.daysSinceLastPurchase").value(12))
			.andExpect(jsonPath("$.computed.favouriteCategory").value("lighting"))
			.andExpect(jsonPath("$.computed.favouriteBrand").value("lumo"))
			.andExpect(jsonPath("$.computed.acquisition.source").value("facebook"))
			.andExpect(jsonPath("$.computed.acquisition.medium").value("paid_social"))
			.andExpect(jsonPath("$.computed.acquisition.campaign").value("Spring Sale"))
			.andExpect(jsonPath("$.computed.acquisition.channel").value("Paid Social"))
			.andExpect(jsonPath("$.computed.acquisition.acquiredAt").value("2026-11-20T09:00:00Z"));
	}

	@Test
	void findsTheProfileByEachIdentifier() throws Exception {
		this.mvc.perform(get("/v1/profiles").param("userId", this.userId).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.profileId.toString()));
		this.mvc
			.perform(get("/v1/profiles").param("anonymousId", "a-" + this.profileId).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.profileId.toString()));
	}

	@Test
	void findsTheProfileByEmailPhoneDeviceAndCustomerIdAsTyped() throws Exception {
		String[][] lookups = { { "email", "  " + email().toUpperCase(java.util.Locale.ROOT) + " " },
				{ "phone", "+351 9" + phoneDigits().substring(0, 4) + " " + phoneDigits().substring(4) },
				{ "deviceId", "idfa-" + this.profileId }, { "customerId", "shopify:" + this.profileId } };
		for (String[] lookup : lookups) {
			this.mvc.perform(get("/v1/profiles").param(lookup[0], lookup[1]).header(Workspace.HEADER, "ws-a"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.profileId").value(this.profileId.toString()));
		}
		// the document shows the hashes, never the address
		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, "ws-a"))
			.andExpect(jsonPath("$.identities[?(@.kind == 'email_sha256')].value").value(Identifiers.sha256(email())))
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(email()))));
	}

	private String email() {
		return "ada." + this.profileId + "@lovelace.io";
	}

	private String phoneDigits() {
		return Long.toString(Math.abs(this.profileId.getMostSignificantBits()) % 100_000_000L + 100_000_000L)
			.substring(1);
	}

	@Test
	void anotherWorkspaceSeesNothing() throws Exception {
		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, "ws-b"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"));
		this.mvc.perform(get("/v1/profiles").param("userId", this.userId).header(Workspace.HEADER, "ws-b"))
			.andExpect(status().isNotFound());
	}

	@Test
	void aMergedAwayIdAnswersWithTheSurvivingProfileAndSaysSo() throws Exception {
		UUID mergedAway = UUID.randomUUID();
		this.jdbc.update(
				"insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason) values ('ws-a', ?, ?, 'anonymous_identified')",
				mergedAway, this.profileId);

		this.mvc.perform(get("/v1/profiles/{id}", mergedAway).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(this.profileId.toString()))
			.andExpect(jsonPath("$.mergedFrom").value(mergedAway.toString()))
			.andExpect(jsonPath("$.merges.length()").value(1))
			.andExpect(jsonPath("$.merges[0].profileId").value(mergedAway.toString()))
			.andExpect(jsonPath("$.merges[0].reason").value("anonymous_identified"))
			.andExpect(jsonPath("$.merges[0].mergedAt").exists());
		this.mvc
			.perform(get("/v1/profiles/{id}", this.profileId).param("fields", "merges,rfm")
				.header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.merges[0].profileId").value(mergedAway.toString()))
			.andExpect(jsonPath("$.traits").doesNotExist());
		this.mvc.perform(get("/v1/profiles/{id}", mergedAway).header(Workspace.HEADER, "ws-b"))
			.andExpect(status().isNotFound());
	}

	@Test
	void theDocumentCarriesTheRfmTierByDefault() throws Exception {
		UUID run = UUID.randomUUID();
		this.jdbc.update(
				"""
						insert into profile.rfm_run (run_id, workspace_id, customers, k, silhouette, silhouettes, tiers, duration_ms)
						values (?, 'ws-a', 1, 4, 0.6, '{}'::jsonb, '[]'::jsonb, 10)""",
				run);
		this.jdbc.update("""
				insert into profile.profile_rfm (workspace_id, profile_id, run_id, recency_days, frequency, monetary,
				       r_score, f_score, m_score, tier)
				values ('ws-a', ?, ?, 3, 7, 420.5, 5, 4, 5, 'Champions')""", this.profileId, run);
		this.mvc.perform(get("/v1/profiles/{id}", this.profileId).header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.rfm.tier").value("Champions"))
			.andExpect(jsonPath("$.rfm.monetary").value(420.5))
			.andExpect(jsonPath("$.merges").isEmpty());
		this.mvc
			.perform(
					get("/v1/profiles/{id}", this.profileId).param("fields", "traits").header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.rfm").doesNotExist());
	}

	@Test
	void publishesTheOpenApiDocument() throws Exception {
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/v1/profiles/{profileId}'].get").exists())
			.andExpect(jsonPath("$.paths['/v1/profiles'].get").exists());
	}

	@Test
	void unknownIdentifierIsA404() throws Exception {
		this.mvc.perform(get("/v1/profiles").param("userId", "nobody").header(Workspace.HEADER, "ws-a"))
			.andExpect(status().isNotFound());
	}

}
