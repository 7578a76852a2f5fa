package io.lodestar.profile.search;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of a search.
 *
 * @param profiles the matching profiles of this page, in the requested order
 * @param nextCursor where the next page starts; absent on the last page
 * @param total how many profiles match: exact up to 10,000, above that the planner's
 * estimate
 * @param totalExact whether {@code total} was counted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchPage(List<ProfileSummary> profiles, String nextCursor, long total, boolean totalExact) {
}
