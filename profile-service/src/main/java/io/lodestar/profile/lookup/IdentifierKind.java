package io.lodestar.profile.lookup;

/**
 * The identifiers a profile can be looked up by, as query parameters and as stored.
 */
public enum IdentifierKind {

	USER_ID("userId", "user_id"), ANONYMOUS_ID("anonymousId", "anonymous_id");

	private final String parameter;

	private final String column;

	IdentifierKind(String parameter, String column) {
		this.parameter = parameter;
		this.column = column;
	}

	public String parameter() {
		return this.parameter;
	}

	String column() {
		return this.column;
	}

}
