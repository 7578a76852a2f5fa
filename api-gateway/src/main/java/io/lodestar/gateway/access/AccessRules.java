package io.lodestar.gateway.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import static io.lodestar.gateway.access.Permission.ANALYTICS_READ;
import static io.lodestar.gateway.access.Permission.API_KEYS_MANAGE;
import static io.lodestar.gateway.access.Permission.AUDIT_READ;
import static io.lodestar.gateway.access.Permission.CONNECTORS_MANAGE;
import static io.lodestar.gateway.access.Permission.CONNECTORS_READ;
import static io.lodestar.gateway.access.Permission.CONSENT_WRITE;
import static io.lodestar.gateway.access.Permission.JOBS_RUN;
import static io.lodestar.gateway.access.Permission.PRIVACY_MANAGE;
import static io.lodestar.gateway.access.Permission.PROFILES_EXPORT;
import static io.lodestar.gateway.access.Permission.PROFILES_READ;
import static io.lodestar.gateway.access.Permission.REPORTS_MANAGE;
import static io.lodestar.gateway.access.Permission.SEGMENTS_READ;
import static io.lodestar.gateway.access.Permission.SEGMENTS_WRITE;
import static io.lodestar.gateway.access.Permission.USERS_MANAGE;
import static io.lodestar.gateway.access.Permission.WRITE_KEYS_MANAGE;

/**
 * What each path needs, first match wins: nothing (the collector, which checks write keys
 * itself; login; the dashboard's files; health), a signed-in caller, or a permission in
 * the request's workspace. A {@code /v1} path no rule names is refused, so a new route is
 * closed until it is given a permission.
 */
final class AccessRules {

	private static final PathPatternParser PARSER = new PathPatternParser();

	private final List<Rule> rules = new ArrayList<>();

	AccessRules(String[] collectorPaths) {
		for (String path : collectorPaths) {
			open(path);
		}
		rule(Set.of(HttpMethod.POST), "/v1/auth/login", Requirement.open());
		rule(Set.of(HttpMethod.POST), "/v1/auth/refresh", Requirement.open());
		rule(Set.of(HttpMethod.POST), "/v1/auth/logout", Requirement.open());
		rule(Set.of(HttpMethod.GET), "/v1/auth/oidc", Requirement.open());
		rule(Set.of(HttpMethod.GET), "/v1/auth/oidc/login", Requirement.open());
		rule(Set.of(HttpMethod.GET), "/v1/auth/oidc/callback", Requirement.open());
		rule(Set.of(HttpMethod.POST), "/v1/auth/oidc/session", Requirement.open());
		rule(Set.of(HttpMethod.GET), "/v1/auth/me", Requirement.signedIn());
		rule(Set.of(HttpMethod.PUT), "/v1/auth/password", Requirement.signedIn());
		rule(Set.of(HttpMethod.POST), "/v1/workspaces", Requirement.signedIn());

		rule(Set.of(HttpMethod.POST), "/v1/profiles/export", Requirement.permission(PROFILES_EXPORT));
		rule(Set.of(HttpMethod.POST), "/v1/profiles/search", Requirement.permission(PROFILES_READ));
		rule(Set.of(HttpMethod.PUT), "/v1/profiles/{id}/consent", Requirement.permission(CONSENT_WRITE));
		read("/v1/profiles", PROFILES_READ);
		read("/v1/profiles/**", PROFILES_READ);
		any("/v1/privacy/**", PRIVACY_MANAGE);

		// scheduled reports e-mail analytics out of the platform; reading and rendering
		// them is reading
		read("/v1/analytics/reports", ANALYTICS_READ);
		read("/v1/analytics/reports/**", ANALYTICS_READ);
		any("/v1/analytics/reports", REPORTS_MANAGE);
		any("/v1/analytics/reports/**", REPORTS_MANAGE);
		// analytics questions are read-only; funnels and paths take their question as a
		// body
		rule(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST), "/v1/analytics/**",
				Requirement.permission(ANALYTICS_READ));
		read("/v1/ltv/**", ANALYTICS_READ);
		any("/v1/ltv/**", JOBS_RUN);

		rule(Set.of(HttpMethod.GET), "/v1/segments/{id}/export", Requirement.permission(PROFILES_EXPORT));
		// a destination sends members' data out of the platform: an export
		rule(Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE),
				"/v1/segments/{id}/destinations", Requirement.permission(PROFILES_EXPORT));
		rule(Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE),
				"/v1/segments/{id}/destinations/**", Requirement.permission(PROFILES_EXPORT));
		rule(Set.of(HttpMethod.POST), "/v1/segments/preview", Requirement.permission(SEGMENTS_READ));
		read("/v1/segments", SEGMENTS_READ);
		read("/v1/segments/**", SEGMENTS_READ);
		any("/v1/segments", SEGMENTS_WRITE);
		any("/v1/segments/**", SEGMENTS_WRITE);

		read("/v1/recommendations/**", ANALYTICS_READ);
		any("/v1/recommendations/**", JOBS_RUN);
		read("/v1/jobs/**", ANALYTICS_READ);
		any("/v1/jobs/**", JOBS_RUN);

		read("/v1/connectors", CONNECTORS_READ);
		read("/v1/connectors/**", CONNECTORS_READ);
		any("/v1/connectors", CONNECTORS_MANAGE);
		any("/v1/connectors/**", CONNECTORS_MANAGE);

		any("/v1/write-keys", WRITE_KEYS_MANAGE);
		any("/v1/write-keys/**", WRITE_KEYS_MANAGE);
		any("/v1/users", USERS_MANAGE);
		any("/v1/users/**", USERS_MANAGE);
		any("/v1/api-keys", API_KEYS_MANAGE);
		any("/v1/api-keys/**", API_KEYS_MANAGE);
		read("/v1/audit", AUDIT_READ);
	}

	/**
	 * @param method the request's method
	 * @param path the request's path (already checked to be canonical)
	 * @return what it needs
	 */
	Requirement requirement(HttpMethod method, String path) {
		PathContainer container = PathContainer.parsePath(path);
		for (Rule rule : this.rules) {
			if ((rule.methods().isEmpty() || rule.methods().contains(method)) && rule.pattern().matches(container)) {
				return rule.requirement();
			}
		}
		if (path.equals("/v1") || path.startsWith("/v1/")) {
			return Requirement.closed();
		}
		// the dashboard's files and the gateway's health; no service is routed outside
		// /v1
		return Requirement.open();
	}

	private void open(String path) {
		rule(Set.of(), path, Requirement.open());
	}

	private void read(String path, Permission permission) {
		rule(Set.of(HttpMethod.GET, HttpMethod.HEAD), path, Requirement.permission(permission));
	}

	private void any(String path, Permission permission) {
		rule(Set.of(), path, Requirement.permission(permission));
	}

	private void rule(Set<HttpMethod> methods, String path, Requirement requirement) {
		this.rules.add(new Rule(methods, PARSER.parse(path), requirement));
	}

	private record Rule(Set<HttpMethod> methods, PathPattern pattern, Requirement requirement) {
	}

	/**
	 * What a request needs.
	 *
	 * @param kind open, signed in, or a permission in the workspace; closed refuses
	 * @param permission the permission, for {@link Kind#PERMISSION}
	 */
	record Requirement(Kind kind, Permission permission) {

		enum Kind {

			OPEN, SIGNED_IN, PERMISSION, CLOSED

		}

		static Requirement open() {
			return new Requirement(Kind.OPEN, null);
		}

		static Requirement signedIn() {
			return new Requirement(Kind.SIGNED_IN, null);
		}

		static Requirement permission(Permission permission) {
			return new Requirement(Kind.PERMISSION, permission);
		}

		static Requirement closed() {
			return new Requirement(Kind.CLOSED, null);
		}

	}

}
