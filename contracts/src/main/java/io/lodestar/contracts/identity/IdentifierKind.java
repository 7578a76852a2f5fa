package io.lodestar.contracts.identity;

import java.util.Optional;

/**
 * The kinds of identifier a profile can be found by, in the order of their priority for
 * identity resolution. The {@link #code() code} is what the {@code profile_identity.kind}
 * column holds. Email addresses and phone numbers are only ever stored as SHA-256 hashes
 * of their normalised form.
 */
public enum IdentifierKind {

	/** The business's own id of a known person; a profile holds at most one. */
	USER_ID("user_id", false),

	/** A hashed, normalised email address. */
	EMAIL_SHA256("email_sha256", true),

	/** A hashed, normalised phone number. */
	PHONE_SHA256("phone_sha256", true),

	/**
	 * A customer id from a commerce connector (Shopify, WooCommerce), prefixed by its
	 * source.
	 */
	CUSTOMER_ID("customer_id", false),

	/** A mobile advertising or device id (ADID, IDFA, AppsFlyer id). */
	DEVICE_ID("device_id", false),

	/** The SDK's id of a browser or device before the person is known. */
	ANONYMOUS_ID("anonymous_id", false);

	private final String code;

	private final boolean hashed;

	IdentifierKind(String code, boolean hashed) {
		this.code = code;
		this.hashed = hashed;
	}

	/**
	 * The value stored in {@code profile_identity.kind}.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Whether the stored value is a hash of the normalised identifier.
	 * @return true for emails and phones
	 */
	public boolean hashed() {
		return this.hashed;
	}

	/**
	 * The kind stored under a code.
	 * @param code a {@code profile_identity.kind} value
	 * @return the kind, or empty when the code is unknown
	 */
	public static Optional<IdentifierKind> ofCode(String code) {
		for (IdentifierKind kind : values()) {
			if (kind.code.equals(code)) {
				return Optional.of(kind);
			}
		}
		return Optional.empty();
	}

}
