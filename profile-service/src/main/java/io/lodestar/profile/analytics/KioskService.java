package io.lodestar.profile.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * In-store screens: impressions, clicks, click-through and dwell time per zone and
 * screen, by hour or day, or by hour of the day across the range (when shoppers are
 * there). The events are ordinary track events ({@link AnalyticsProperties.Kiosk}).
 */
@Service
class KioskService {

	private final AnalyticsQueries queries;

	private final AnalyticsProperties.Kiosk events;

	KioskService(AnalyticsQueries queries, AnalyticsProperties properties) {
		this.queries = queries;
		this.events = properties.kiosk();
	}

	/**
	 * @param by hour, day, hourOfDay, or total (one row per zone and screen)
	 */
	Rows zones(String workspace, DateRange range, String by) {
		String bucket = switch (by) {
			case "hour", "day" -> "to_char(date_trunc(:by, e.occurred_at, 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
			case "hourOfDay" -> "extract(hour from e.occurred_at at time zone 'UTC')::int::text";
			case "total" -> "null";
			default -> throw Invalid.at("by", "by is hour, day, hourOfDay or total");
		};
		MapSqlParameterSource parameters = KpiService.parameters(workspace, range)
			.addValue("by", by)
			.addValue("impression", this.events.impressionEvent())
			.addValue("click", this.events.clickEvent())
			.addValue("dwell", this.events.dwellEvent());
		String sql = """
				select coalesce(e.properties ->> 'zone', '(none)') as zone,
				       coalesce(e.properties ->> 'screen', '(none)') as screen, %s as bucket,
				       count(*) filter (where e.event_name = :impression) as impressions,
				       count(*) filter (where e.event_name = :click) as clicks,
				       count(*) filter (where e.event_name = :dwell) as visits,
				       coalesce(sum(profile.number_or_null(e.properties ->> 'dwell_seconds'))
				                filter (where e.event_name = :dwell), 0) as dwell_seconds
				  from profile.profile_event e
				 where e.workspace_id = :ws and e.event_type = 'track' and e.event_name in (:impression, :click, :dwell)
				   and e.occurred_at >= :from and e.occurred_at < :to
				 group by 1, 2, 3 order by 3, 1, 2""".formatted(bucket);
		List<Map<String, Object>> rows = this.queries.query(sql, parameters, (row, n) -> {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("zone", row.getString("zone"));
			line.put("screen", row.getString("screen"));
			if (!"total".equals(by)) {
				line.put(by,
						"hourOfDay".equals(by) ? Integer.valueOf(row.getString("bucket")) : row.getString("bucket"));
			}
			long impressions = row.getLong("impressions");
			long clicks = row.getLong("clicks");
			long visits = row.getLong("visits");
			double dwell = row.getDouble("dwell_seconds");
			line.put("impressions", impressions);
			line.put("clicks", clicks);
			line.put("clickThroughRate", (impressions == 0) ? null : (double) clicks / impressions);
			line.put("visits", visits);
			line.put("dwellSeconds", dwell);
			line.put("averageDwellSeconds", (visits == 0) ? null : dwell / visits);
			return line;
		});
		return new Rows(range, rows);
	}

}
