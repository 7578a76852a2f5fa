package io.lodestar.gateway.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.lodestar.gateway.access.Permission.ANALYTICS_READ;
import static io.lodestar.gateway.access.Permission.CONNECTORS_READ;
import static io.lodestar.gateway.access.Permission.CONSENT_WRITE;
import static io.lodestar.gateway.access.Permission.JOBS_RUN;
import static io.lodestar.gateway.access.Permission.REPORTS_MANAGE;
import static io.lodestar.gateway.access.Permission.PROFILES_EXPORT;
import static io.lodestar.gateway.access.Permission.PROFILES_READ;
import static io.lodestar.gateway.access.Permission.SEGMENTS_READ;
import static io.lodestar.gateway.access.Permission.SEGMENTS_WRITE;

/**
 * A user's role in one workspace and the permissions it carries (the matrix in the
 * README).
 */
public enum Role {

	/**
	 * Everything, including users, keys, connectors, privacy requests and the audit log.
	 */
	ADMIN(EnumSet.allOf(Permission.class)),
	/** Works with people: reads and exports profiles, manages consent and segments. */
	MARKETER(EnumSet.of(PROFILES_READ, PROFILES_EXPORT, CONSENT_WRITE, SEGMENTS_READ, SEGMENTS_WRITE, ANALYTICS_READ,
			REPORTS_MANAGE)),
	/**
	 * Works with models and data: reads everything analytic, runs jobs, reads connectors.
	 */
	ANALYST(EnumSet.of(PROFILES_READ, SEGMENTS_READ, ANALYTICS_READ, REPORTS_MANAGE, JOBS_RUN, CONNECTORS_READ)),
	/** Reads profiles, segments and analytics; changes nothing. */
	VIEWER(EnumSet.of(PROFILES_READ, SEGMENTS_READ, ANALYTICS_READ));

	private final Set<Permission> permissions;

	Role(Set<Permission> permissions) {
		this.permissions = permissions;
	}

	public Set<Permission> permissions() {
		return this.permissions;
	}

	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<Role> fromWireName(String name) {
		return Arrays.stream(values()).filter((role) -> role.wireName().equals(name)).findFirst();
	}

}
