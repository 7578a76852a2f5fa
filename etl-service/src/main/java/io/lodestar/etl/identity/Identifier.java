package io.lodestar.etl.identity;

import java.io.Serializable;
import java.util.Comparator;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * One identifier in its stored form (normalised; emails and phones hashed), as
 * {@code profile.profile_identity} holds it. Ordered by the kind's priority, then value.
 *
 * @param kind the kind
 * @param value the stored value
 */
public record Identifier(IdentifierKind kind, String value) implements Comparable<Identifier>, Serializable {

	private static final Comparator<Identifier> ORDER = Comparator.comparing(Identifier::kind)
		.thenComparing(Identifier::value);

	/**
	 * @return {@code kind:value}, the node of the identity graph
	 */
	public String node() {
		return this.kind.code() + ':' + this.value;
	}

	/**
	 * The identifier of a graph node.
	 * @param node {@code kind:value}
	 * @return the identifier
	 */
	public static Identifier ofNode(String node) {
		int colon = node.indexOf(':');
		return new Identifier(IdentifierKind.ofCode(node.substring(0, colon)).orElseThrow(), node.substring(colon + 1));
	}

	@Override
	public int compareTo(Identifier other) {
		return ORDER.compare(this, other);
	}

	/** Kind and a hint of the value for logs: never the value itself. */
	@Override
	public String toString() {
		return this.kind.code() + ":…";
	}

}
