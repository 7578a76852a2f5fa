package io.lodestar.contracts.identity;

import java.util.Optional;

/**
 * The query parameters a profile can be looked up by (profile-service,
 * recommender-service) and the stored identity each one becomes: emails and phones are
 * normalised and hashed exactly as the pipeline stores them.
 */
public enum LookupParameter {

	USER_ID("userId", IdentifierKind.USER_ID),

	ANONYMOUS_ID("anonymousId", IdentifierKind.ANONYMOUS_ID),

	EMAIL("email", IdentifierKind.EMAIL_SHA256),

	PHONE("phone", IdentifierKind.PHONE_SHA256),

	DEVICE_ID("deviceId", IdentifierKind.DEVICE_ID),

	CUSTOMER_ID("customerId", IdentifierKind.CUSTOMER_ID);

	private final String parameter;

	private final IdentifierKind kind;

	LookupParameter(String parameter, IdentifierKind kind) {
		this.parameter = parameter;
		this.kind = kind;
	}

	public String parameter() {
		return this.parameter;
	}

	public IdentifierKind kind() {
		return this.kind;
	}

	/**
	 * The value as stored in {@code profile_identity.value}.
	 * @param raw the value given by the caller
	 * @return the stored form, or empty when the value cannot identify anybody (not an
	 * address, a junk value …)
	 */
	public Optional<String> storedValue(String raw) {
		return Identifiers.storedValue(this.kind, raw);
	}

}
