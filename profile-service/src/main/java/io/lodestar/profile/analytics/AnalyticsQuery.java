package io.lodestar.profile.analytics;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One analytics question, as the API takes it and as a scheduled report keeps it: its
 * kind, its query parameters, and for funnels and paths the request body. The date range
 * is given apart, so that a report can ask for "the last 7 days" each time it runs.
 *
 * @param kind kpis, sales, events, funnel, paths, retention, kiosk or campaigns
 * @param parameters the kind's query parameters (by, limit, interval, type, cohort,
 * period, event, periods)
 * @param funnel the funnel, for kind funnel
 * @param paths the path question, for kind paths
 */
record AnalyticsQuery(String kind, Map<String, String> parameters, FunnelRequest funnel, PathRequest paths) {

	static final Set<String> KINDS = Collections.unmodifiableSortedSet(
			new TreeSet<>(Set.of("kpis", "sales", "events", "funnel", "paths", "retention", "kiosk", "campaigns")));

	AnalyticsQuery {
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
	}

	String parameter(String name, String fallback) {
		String value = this.parameters.get(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	int number(String name, int fallback) {
		String value = this.parameters.get(name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw Invalid.at(name, name + " is a whole number");
		}
	}

}
