package io.lodestar.profile.search;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A profile search: every filter must hold (AND).
 *
 * @param filters conditions on traits and computed traits
 * @param sort the order, {@code lastSeenAt} newest first by default
 * @param limit page size, 1-200 (default 50)
 * @param cursor {@code nextCursor} of the previous page, absent for the first
 */
public record SearchRequest(List<Filter> filters, Sort sort, Integer limit, String cursor) {

	/**
	 * One condition.
	 *
	 * @param field {@code userId}, {@code firstSeenAt}, {@code lastSeenAt},
	 * {@code eventCount}, {@code consent.<purpose>} or {@code traits.<key>[.<key>…]}
	 * @param op {@code eq}, {@code neq}, {@code in}, {@code gt}, {@code gte}, {@code lt},
	 * {@code lte}, {@code between}, {@code prefix}, {@code exists} or {@code missing}
	 * @param value the operand: a scalar, a two-element array for {@code between}, an
	 * array for {@code in}, nothing for {@code exists}/{@code missing}
	 */
	public record Filter(String field, String op, JsonNode value) {
	}

	/**
	 * @param field {@code lastSeenAt}, {@code firstSeenAt} or {@code eventCount}
	 * @param direction {@code asc} or {@code desc} (default)
	 */
	public record Sort(String field, String direction) {
	}

}
