package io.lodestar.profile.search;

import java.util.List;

/**
 * A CSV export of a search.
 *
 * @param filters as for a search
 * @param sort as for a search
 * @param columns the columns (default: profileId, userId, firstSeenAt, lastSeenAt,
 * eventCount)
 * @param consentPurpose only profiles that granted this purpose (default
 * {@code marketing})
 * @param ignoreConsent export profiles whatever their consent (default false)
 */
public record ExportRequest(List<SearchRequest.Filter> filters, SearchRequest.Sort sort, List<String> columns,
		String consentPurpose, Boolean ignoreConsent) {
}
