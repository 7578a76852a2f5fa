package io.lodestar.profile.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.web.Workspace;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(ProfileController.class)
class ProfileControllerTest {

	private static final UUID ID = UUID.fromString("6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a");

	@Autowired
	MockMvc mvc;

	@MockitoBean
	ProfileService profiles;

	@Test
	void returnsTheProfileDocumentById() throws Exception {
		given(this.profiles.byId(new Workspace("demo"), ID)).willReturn(Optional.of(profile()));

		this.mvc.perform(get("/v1/profiles/{id}", ID).header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(ID.toString()))
			.andExpect(jsonPath("$.userId").value("u-1"))
			.andExpect(jsonPath("$.traits.plan").value("pro"))
			.andExpect(jsonPath("$.identities[0].kind").value("user_id"))
			.andExpect(jsonPath("$.computed.eventCount").value(3))
			.andExpect(jsonPath("$.computed.eventCountsByType.track").value(2))
			.andExpect(jsonPath("$.computed.trackEventCounts['Order Completed']").value(2))
			.andExpect(jsonPath("$.computed.orders").value(2))
			.andExpect(jsonPath("$.computed.averageOrderValue").value(29.75))
			.andExpect(jsonPath("$.computed.daysSinceLastPurchase").value(11))
			.andExpect(jsonPath("$.computed.favouriteCategory").value("lighting"))
			.andExpect(jsonPath("$.computed.acquisition.channel").value("Paid Social"));
	}

	@Test
	void looksUpByUserIdAndByAnonymousId() throws Exception {
		given(this.profiles.byIdentifier(new Workspace("demo"), IdentifierKind.USER_ID, "u-1"))
			.willReturn(Optional.of(profile()));
		given(this.profiles.byIdentifier(new Workspace("demo"), IdentifierKind.ANONYMOUS_ID, "a-1"))
			.willReturn(Optional.of(profile()));

		this.mvc.perform(get("/v1/profiles").param("userId", "u-1").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(ID.toString()));
		this.mvc.perform(get("/v1/profiles").param("anonymousId", "a-1").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(ID.toString()));
	}

	@Test
	void unknownProfileIsA404Problem() throws Exception {
		given(this.profiles.byId(any(), any())).willReturn(Optional.empty());

		this.mvc.perform(get("/v1/profiles/{id}", ID).header(Workspace.HEADER, "demo"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/profile-not-found"))
			.andExpect(jsonPath("$.status").value(404));
	}

	@Test
	void malformedIdIsA400Problem() throws Exception {
		this.mvc.perform(get("/v1/profiles/not-a-uuid").header(Workspace.HEADER, "demo"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-parameter"));
	}

	@Test
	void emailsAndPhonesAreLookedUpByTheHashOfTheirNormalisedForm() throws Exception {
		given(this.profiles.byIdentifier(new Workspace("demo"), IdentifierKind.EMAIL_SHA256,
				Identifiers.sha256("ada@lovelace.io")))
			.willReturn(Optional.of(profile()));
		given(this.profiles.byIdentifier(new Workspace("demo"), IdentifierKind.PHONE_SHA256,
				Identifiers.sha256("+442079460958")))
			.willReturn(Optional.of(profile()));
		given(this.profiles.byIdentifier(new Workspace("demo"), IdentifierKind.DEVICE_ID, "idfa-1"))
			.willReturn(Optional.of(profile()));

		this.mvc.perform(get("/v1/profiles").param("email", " Ada@Lovelace.IO").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(ID.toString()));
		this.mvc.perform(get("/v1/profiles").param("phone", "+44 20 7946 0958").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk());
		this.mvc.perform(get("/v1/profiles").param("deviceId", "idfa-1").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk());
	}

	@Test
	void unusableIdentifiersAre400NotLookups() throws Exception {
		for (String[] bad : new String[][] { { "email", "not-an-address" }, { "phone", "12" },
				{ "userId", "undefined" }, { "deviceId", "00000000-0000-0000-0000-000000000000" } }) {
			this.mvc.perform(get("/v1/profiles").param(bad[0], bad[1]).header(Workspace.HEADER, "demo"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-lookup"));
		}
	}

	@Test
	void lookupNeedsExactlyOneIdentifier() throws Exception {
		this.mvc
			.perform(
					get("/v1/profiles").param("userId", "u").param("anonymousId", "a").header(Workspace.HEADER, "demo"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-lookup"))
			.andExpect(jsonPath("$.detail")
				.value("give exactly one identifier, once: userId, anonymousId, email, phone, deviceId, customerId"));
		this.mvc.perform(get("/v1/profiles").param("userId", "u").param("userId", "v").header(Workspace.HEADER, "demo"))
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/v1/profiles").param("userId", "u").param("mail", "x").header(Workspace.HEADER, "demo"))
			.andExpect(status().isBadRequest());
	}

	@Test
	void sparseFieldsetsKeepOnlyTheNamedParts() throws Exception {
		given(this.profiles.byId(new Workspace("demo"), ID)).willReturn(Optional.of(profile()));

		this.mvc
			.perform(get("/v1/profiles/{id}", ID).param("fields", "traits,consent").header(Workspace.HEADER, "demo"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.profileId").value(ID.toString()))
			.andExpect(jsonPath("$.traits.plan").value("pro"))
			.andExpect(jsonPath("$.consent.marketing.granted").value(false))
			.andExpect(jsonPath("$.identities").doesNotExist())
			.andExpect(jsonPath("$.computed").doesNotExist());
		this.mvc
			.perform(get("/v1/profiles/{id}", ID).param("fields", "traits,password").header(Workspace.HEADER, "demo"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-parameter"));
	}

	@Test
	void workspaceHeaderIsRequiredAndChecked() throws Exception {
		this.mvc.perform(get("/v1/profiles/{id}", ID))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/missing-workspace"));
		this.mvc.perform(get("/v1/profiles/{id}", ID).header(Workspace.HEADER, "demo' or 1=1"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-workspace"));
	}

	@Test
	void serverFaultSaysNothingInternal() throws Exception {
		given(this.profiles.byId(any(), any())).willThrow(new IllegalStateException("connection to 10.0.0.5 refused"));

		this.mvc.perform(get("/v1/profiles/{id}", ID).header(Workspace.HEADER, "demo"))
			.andExpect(status().isInternalServerError())
			.andExpect(jsonPath("$.detail").value("the request could not be completed"))
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("10.0.0.5"))));
	}

	private static ProfileResponse profile() {
		Instant first = Instant.parse("2026-11-20T09:00:00Z");
		Instant last = Instant.parse("2026-11-20T10:00:00Z");
		return new ProfileResponse(ID, null, "demo", "u-1",
				List.of(new ProfileResponse.IdentityResponse("user_id", "u-1", first, last)), Map.of("plan", "pro"),
				new ProfileResponse.Computed(first, last, 3, Map.of("track", 2L, "identify", 1L),
						Map.of("Order Completed", 2L), 2, 2, 59.5, 29.75, first, last, 11, "lighting", "lumo",
						new ProfileResponse.Acquisition("facebook", "paid_social", "Spring Sale", "Paid Social",
								first)),
				Map.of("marketing", new ProfileResponse.ConsentState(false, "preference-centre", last)), null, null,
				null, List.of());
	}

}
