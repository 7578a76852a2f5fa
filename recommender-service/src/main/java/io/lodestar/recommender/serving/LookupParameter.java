package io.lodestar.recommender.serving;

import java.util.Optional;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

/**
 * The identifiers a customer can be named by, as profile-service takes them; emails and
 * phones are normalised and hashed as the pipeline stores them (contracts'
 * {@link Identifiers}).
 */
enum LookupParameter {

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

	String parameter() {
		return this.parameter;
	}

	IdentifierKind kind() {
		return this.kind;
	}

	Optional<String> storedValue(String raw) {
		return Identifiers.storedValue(this.kind, raw);
	}

}
