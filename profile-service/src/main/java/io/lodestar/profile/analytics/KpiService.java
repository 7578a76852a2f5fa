package io.lodestar.profile.analytics;

import java.time.Duration;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * The overview KPIs of a range and of the period before it, and their series.
 */
@Service
class KpiService {

	private final AnalyticsQueries queries;

	private final Purchases purchases;

	KpiService(AnalyticsQueries queries, Purchases purchases) {
		this.queries = queries;
		this.purchases = purchases;
	}

	KpiResult kpis(String workspace, DateRange range, String interval) {
		String bucket = (interval != null) ? interval : defaultInterval(range);
		if (!List.of("day", "week", "month").contains(bucket)) {
			throw Invalid.at("interval", "interval is day, week or month");
		}
		return this.queries.run(() -> {
			KpiResult.Kpis current = kpis(workspace, range);
			KpiResult.Kpis previous = kpis(workspace, range.previous());
			return new KpiResult(current, previous, current.changeFrom(previous), bucket,
					series(workspace, range, bucket));
		});
	}

	static String defaultInterval(DateRange range) {
		Duration length = range.length();
		if (length.compareTo(Duration.ofDays(92)) <= 0) {
			return "day";
		}
		return (length.compareTo(Duration.ofDays(731)) <= 0) ? "week" : "month";
	}

	private KpiResult.Kpis kpis(String workspace, DateRange range) {
		MapSqlParameterSource parameters = parameters(workspace, range);
		String purchase = this.purchases.isPurchase("e", parameters);
		String value = this.purchases.value("e", parameters);
		String sql = """
				with events as (
				  select e.profile_id, %1$s as purchase, case when %1$s then %2$s end as value
				    from profile.profile_event e
				   where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to),
				buyers as (select distinct profile_id from events where purchase)
				select (select count(*) filter (where purchase) from events) as orders,
				       (select coalesce(sum(value), 0) from events) as revenue,
				       (select count(distinct profile_id) from events) as active,
				       (select count(*) from buyers) as customers,
				       (select count(*) from buyers b where exists (
				           select 1 from profile.profile_event e where e.workspace_id = :ws and e.profile_id = b.profile_id
				              and %1$s and e.occurred_at < :from)) as returning,
				       (select count(*) from profile.profile p where p.workspace_id = :ws
				           and p.first_seen_at >= :from and p.first_seen_at < :to) as new_profiles"""
			.formatted(purchase, value);
		return this.queries.jdbc().queryForObject(sql, parameters, (row, n) -> {
			long orders = row.getLong("orders");
			double revenue = row.getDouble("revenue");
			long active = row.getLong("active");
			long customers = row.getLong("customers");
			long returning = row.getLong("returning");
			return new KpiResult.Kpis(range.from(), range.to(), revenue, orders, (orders == 0) ? 0 : revenue / orders,
					active, customers, customers - returning, returning, row.getLong("new_profiles"),
					(active == 0) ? 0 : (double) customers / active);
		});
	}

	private List<KpiResult.Point> series(String workspace, DateRange range, String bucket) {
		MapSqlParameterSource parameters = parameters(workspace, range).addValue("bucket", bucket);
		String purchase = this.purchases.isPurchase("e", parameters);
		String value = this.purchases.value("e", parameters);
		String sql = """
				select date_trunc(:bucket, e.occurred_at, 'UTC') as at,
				       coalesce(sum(case when %1$s then %2$s end), 0) as revenue,
				       count(*) filter (where %1$s) as orders, count(distinct e.profile_id) as active
				  from profile.profile_event e
				 where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to
				 group by 1 order by 1""".formatted(purchase, value);
		return this.queries.jdbc()
			.query(sql, parameters, (row, n) -> new KpiResult.Point(row.getTimestamp("at").toInstant(),
					row.getDouble("revenue"), row.getLong("orders"), row.getLong("active")));
	}

	static MapSqlParameterSource parameters(String workspace, DateRange range) {
		return new MapSqlParameterSource().addValue("ws", workspace)
			.addValue("from", range.fromTimestamp())
			.addValue("to", range.toTimestamp());
	}

}
