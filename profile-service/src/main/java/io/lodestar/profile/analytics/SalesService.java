package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * Sales by product, category, brand or time bucket from the purchases' {@code products}
 * lines (revenue per line = price × quantity, quantity 1 when absent); the top events and
 * pages of a range; and the span of a workspace's data.
 */
@Service
class SalesService {

	static final List<String> DIMENSIONS = List.of("product", "category", "brand", "day", "week", "month");

	private final AnalyticsQueries queries;

	private final Purchases purchases;

	SalesService(AnalyticsQueries queries, Purchases purchases) {
		this.queries = queries;
		this.purchases = purchases;
	}

	/**
	 * @param by product, category, brand (the lines' fields; "(none)" when absent), or
	 * day, week, month
	 * @param limit the most (by revenue) rows kept, for product/category/brand
	 */
	Rows sales(String workspace, DateRange range, String by, int limit) {
		if (!DIMENSIONS.contains(by)) {
			throw Invalid.at("by", "by is one of " + String.join(", ", DIMENSIONS));
		}
		MapSqlParameterSource parameters = KpiService.parameters(workspace, range).addValue("limit", limit);
		String purchase = this.purchases.isPurchase("e", parameters);
		boolean time = List.of("day", "week", "month").contains(by);
		String key = switch (by) {
			case "product" -> "coalesce(line ->> 'product_id', line ->> 'sku', line ->> 'id', '(none)')";
			case "category" -> "coalesce(line ->> 'category', '(none)')";
			case "brand" -> "coalesce(line ->> 'brand', '(none)')";
			default -> "to_char(date_trunc(:bucket, e.occurred_at, 'UTC'), 'YYYY-MM-DD')";
		};
		parameters.addValue("bucket", by);
		String sql = """
				select %1$s as key, %4$s as name,
				       coalesce(sum(coalesce(profile.number_or_null(line ->> 'price'), 0)
				                  * coalesce(profile.number_or_null(line ->> 'quantity'), 1)), 0) as revenue,
				       coalesce(sum(coalesce(profile.number_or_null(line ->> 'quantity'), 1)), 0) as quantity,
				       count(distinct e.event_id) as orders, count(distinct e.profile_id) as customers
				  from profile.profile_event e
				 cross join lateral jsonb_array_elements(case when jsonb_typeof(e.properties -> 'products') = 'array'
				                                         then e.properties -> 'products' else '[]'::jsonb end) as line
				 where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to and %2$s
				 group by 1 %3$s""".formatted(key, purchase,
				time ? "order by 1" : "order by revenue desc, key limit :limit",
				"product".equals(by) ? "max(line ->> 'name')" : "null");
		List<Map<String, Object>> rows = this.queries.query(sql, parameters, (row, n) -> {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put(by, row.getString("key"));
			if ("product".equals(by)) {
				line.put("name", row.getString("name"));
			}
			line.put("revenue", row.getDouble("revenue"));
			line.put("quantity", row.getDouble("quantity"));
			line.put("orders", row.getLong("orders"));
			line.put("customers", row.getLong("customers"));
			return line;
		});
		return new Rows(range, rows);
	}

	/** The most frequent events (track names, page paths, screen names) of a range. */
	Rows topEvents(String workspace, DateRange range, String type, int limit) {
		if (type != null && !List.of("track", "page", "screen").contains(type)) {
			throw Invalid.at("type", "type is track, page or screen");
		}
		MapSqlParameterSource parameters = KpiService.parameters(workspace, range)
			.addValue("limit", limit)
			.addValue("type", type);
		String sql = "select e.event_type as type, " + PathService.LABEL + " as label, count(*) as events,"
				+ " count(distinct e.profile_id) as profiles from profile.profile_event e"
				+ " where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to"
				+ " and e.event_type in ('track', 'page', 'screen')"
				+ " and (cast(:type as text) is null or e.event_type = cast(:type as text))"
				+ " group by 1, 2 order by events desc, label limit :limit";
		return new Rows(range, this.queries.query(sql, parameters, (row, n) -> {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("type", row.getString("type"));
			line.put("label", row.getString("label"));
			line.put("events", row.getLong("events"));
			line.put("profiles", row.getLong("profiles"));
			return line;
		}));
	}

	/** When the workspace's data starts and ends, for a dashboard's default range. */
	Map<String, Object> span(String workspace) {
		return this.queries.run(() -> this.queries.jdbc()
			.queryForObject("""
					select min(first_seen_at) as first, max(last_seen_at) as last, count(*) as profiles
					  from profile.profile where workspace_id = :ws""", new MapSqlParameterSource("ws", workspace),
					(row, n) -> {
						Map<String, Object> span = new LinkedHashMap<>();
						Timestamp first = row.getTimestamp("first");
						Timestamp last = row.getTimestamp("last");
						span.put("first", (first != null) ? first.toInstant() : null);
						span.put("last", (last != null) ? last.toInstant() : null);
						span.put("profiles", row.getLong("profiles"));
						return span;
					}));
	}

}
