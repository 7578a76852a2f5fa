package io.lodestar.etl.identity;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * The {@code profile.profile_merge.reason} of a merge: which kind of identifier linked
 * the two profiles.
 */
public final class MergeReason {

	/** A batch recompute found two profiles that belong together. */
	public static final String BATCH = "batch_recompute";

	private MergeReason() {
	}

	/**
	 * @param kind the kind of the identifier that linked the merged profile
	 * @return {@code anonymous_identified} for an anonymous id (a visitor who
	 * identified), else {@code matched_<kind>}, e.g. {@code matched_email_sha256}
	 */
	public static String of(IdentifierKind kind) {
		return (kind == IdentifierKind.ANONYMOUS_ID) ? "anonymous_identified" : "matched_" + kind.code();
	}

}
