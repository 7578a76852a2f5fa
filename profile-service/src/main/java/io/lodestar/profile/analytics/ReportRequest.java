package io.lodestar.profile.analytics;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A scheduled report: an analytics question over the last {@code lastDays} days, e-mailed
 * as PDF or CSV on a schedule.
 *
 * @param name unique in the workspace
 * @param kind kpis, sales, events, funnel, paths, retention or kiosk
 * @param parameters the kind's query parameters ({@code {"by":"product","limit":"20"}})
 * @param request the funnel or path question (its own range is replaced at each run)
 * @param lastDays the range: this many days before the anchor
 * @param anchor {@code today} (the range ends at the start of today, UTC; the default) or
 * {@code data} (at the end of the workspace's latest day with events)
 * @param format pdf (default) or csv
 * @param cron when to send, a Spring cron expression in UTC (seconds first:
 * {@code 0 0 8 * * MON})
 * @param recipients 1-20 e-mail addresses
 * @param enabled false pauses the schedule (default true)
 */
record ReportRequest(String name, String kind, Map<String, String> parameters, JsonNode request, Integer lastDays,
		String anchor, String format, String cron, List<String> recipients, Boolean enabled) {
}
