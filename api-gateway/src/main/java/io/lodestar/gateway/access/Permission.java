package io.lodestar.gateway.access;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a caller may do in a workspace; the wire name (e.g. {@code profiles:read}) is what
 * API keys are granted and what 403 problems name.
 */
public enum Permission {

	/** Look up, search and read profiles, their timelines and consent. */
	PROFILES_READ("profiles:read"),
	/** Export profiles or segment members as files. */
	PROFILES_EXPORT("profiles:export"),
	/** Change a profile's consent. */
	CONSENT_WRITE("consent:write"),
	/** Right-of-access and erasure requests. */
	PRIVACY_MANAGE("privacy:manage"),
	/** Read segments, their members and history; preview rules. */
	SEGMENTS_READ("segments:read"),
	/** Create, change, recompute and delete segments. */
	SEGMENTS_WRITE("segments:write"),
	/** Read analytics: LTV, RFM tiers, job results, recommendations. */
	ANALYTICS_READ("analytics:read"),
	/** Create, change, send and delete scheduled analytics reports (e-mailed out). */
	REPORTS_MANAGE("reports:manage"),
	/** Start model and batch job runs; pin and roll back models. */
	JOBS_RUN("jobs:run"),
	/** Read connectors and their runs. */
	CONNECTORS_READ("connectors:read"),
	/** Create, change, trigger and delete connectors. */
	CONNECTORS_MANAGE("connectors:manage"),
	/** Create and revoke the collector's write keys. */
	WRITE_KEYS_MANAGE("write-keys:manage"),
	/** Add users to the workspace, change their roles, remove them. */
	USERS_MANAGE("users:manage"),
	/** Create, rotate and revoke API keys. */
	API_KEYS_MANAGE("api-keys:manage"),
	/** Read the audit log. */
	AUDIT_READ("audit:read");

	private final String wireName;

	Permission(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<Permission> fromWireName(String name) {
		return Arrays.stream(values()).filter((permission) -> permission.wireName.equals(name)).findFirst();
	}

}
