package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A saved report as the API shows it.
 *
 * @param reportId its id
 * @param name its name
 * @param kind the question's kind
 * @param parameters the question's parameters
 * @param request the funnel or path question, or null
 * @param lastDays the range's length in days
 * @param anchor today or data
 * @param format pdf or csv
 * @param cron the schedule (UTC)
 * @param recipients who receives it
 * @param enabled whether the schedule runs
 * @param createdBy the caller who created it (the gateway's caller id)
 * @param createdAt when
 * @param updatedAt last change
 * @param nextRunAt the next scheduled delivery, null when paused
 */
record ReportView(UUID reportId, String name, String kind, Map<String, String> parameters, JsonNode request,
		int lastDays, String anchor, String format, String cron, List<String> recipients, boolean enabled,
		String createdBy, Instant createdAt, Instant updatedAt, Instant nextRunAt) {
}
