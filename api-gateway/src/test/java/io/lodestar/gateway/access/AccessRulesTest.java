package io.lodestar.gateway.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpMethod;

import io.lodestar.gateway.access.AccessRules.Requirement;
import io.lodestar.gateway.routing.CollectorPaths;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The permissions matrix of the README: each role against each kind of request.
 */
class AccessRulesTest {

	private final AccessRules rules = new AccessRules(CollectorPaths.ALL);

	@ParameterizedTest(name = "{0} {1}: admin {2}, marketer {3}, analyst {4}, viewer {5}")
	@CsvSource({ "GET, /v1/profiles, yes, yes, yes, yes", "GET, /v1/profiles/p-1/events, yes, yes, yes, yes",
			"POST, /v1/profiles/search, yes, yes, yes, yes", "POST, /v1/profiles/export, yes, yes, no, no",
			"PUT, /v1/profiles/p-1/consent, yes, yes, no, no", "POST, /v1/privacy/requests, yes, no, no, no",
			"GET, /v1/privacy/requests/r-1/export, yes, no, no, no", "GET, /v1/segments, yes, yes, yes, yes",
			"POST, /v1/segments/preview, yes, yes, yes, yes", "POST, /v1/segments, yes, yes, no, no",
			"PUT, /v1/segments/s-1, yes, yes, no, no", "DELETE, /v1/segments/s-1, yes, yes, no, no",
			"GET, /v1/segments/s-1/export, yes, yes, no, no", "POST, /v1/segments/s-1/destinations, yes, yes, no, no",
			"PATCH, /v1/segments/s-1/destinations/d-1, yes, yes, no, no",
			"GET, /v1/segments/s-1/destinations/d-1/deliveries, yes, yes, yes, yes",
			"GET, /v1/segments/s-1/members, yes, yes, yes, yes", "GET, /v1/ltv/distribution, yes, yes, yes, yes",
			"POST, /v1/ltv/models, yes, no, yes, no", "GET, /v1/analytics/kpis, yes, yes, yes, yes",
			"POST, /v1/analytics/funnels, yes, yes, yes, yes", "DELETE, /v1/analytics/funnels, no, no, no, no",
			"POST, /v1/analytics/reports, yes, yes, yes, no", "POST, /v1/analytics/reports/r-1/send, yes, yes, yes, no",
			"GET, /v1/analytics/reports/r-1/render, yes, yes, yes, yes",
			"DELETE, /v1/analytics/reports/r-1, yes, yes, yes, no", "GET, /v1/jobs/rfm/runs/latest, yes, yes, yes, yes",
			"POST, /v1/jobs/rfm/runs, yes, no, yes, no", "GET, /v1/recommendations/profiles/p-1, yes, yes, yes, yes",
			"POST, /v1/recommendations/models/3/pin, yes, no, yes, no", "GET, /v1/connectors, yes, no, yes, no",
			"POST, /v1/connectors, yes, no, no, no", "POST, /v1/connectors/c-1/runs, yes, no, no, no",
			"POST, /v1/write-keys, yes, no, no, no", "GET, /v1/users, yes, no, no, no",
			"POST, /v1/users, yes, no, no, no", "POST, /v1/api-keys, yes, no, no, no",
			"GET, /v1/audit, yes, no, no, no", "GET, /v1/not-a-route, no, no, no, no" })
	void eachRoleHasExactlyItsPermissions(String method, String path, String admin, String marketer, String analyst,
			String viewer) {
		Requirement requirement = this.rules.requirement(HttpMethod.valueOf(method), path);
		String[] expected = { admin, marketer, analyst, viewer };
		Role[] roles = { Role.ADMIN, Role.MARKETER, Role.ANALYST, Role.VIEWER };
		for (int i = 0; i < roles.length; i++) {
			boolean allowed = requirement.kind() == Requirement.Kind.PERMISSION
					&& roles[i].permissions().contains(requirement.permission());
			assertThat(allowed).as(roles[i] + " " + method + " " + path).isEqualTo(expected[i].equals("yes"));
		}
	}

	@ParameterizedTest
	@CsvSource({ "POST, /v1/track", "POST, /v1/b", "POST, /v1/import/", "GET, /v1/projects/wk/settings",
			"POST, /v1/auth/login", "POST, /v1/auth/refresh", "GET, /", "GET, /assets/index.js",
			"GET, /actuator/health/readiness" })
	void theCollectorLoginTheDashboardAndHealthAreOpen(String method, String path) {
		assertThat(this.rules.requirement(HttpMethod.valueOf(method), path).kind()).isEqualTo(Requirement.Kind.OPEN);
	}

	@ParameterizedTest
	@CsvSource({ "GET, /v1/auth/me", "PUT, /v1/auth/password", "POST, /v1/workspaces" })
	void theOwnAccountNeedsOnlyASignedInCaller(String method, String path) {
		assertThat(this.rules.requirement(HttpMethod.valueOf(method), path).kind())
			.isEqualTo(Requirement.Kind.SIGNED_IN);
	}

}
