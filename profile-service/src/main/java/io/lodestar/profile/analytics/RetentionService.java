package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * Retention: profiles grouped by the period (UTC; weeks start on Monday) of their first
 * sighting or first purchase within the range, and for each later period the share that
 * came back — with any event other than identify, alias and group, or with a given track
 * event.
 */
@Service
class RetentionService {

	private final AnalyticsQueries queries;

	private final Purchases purchases;

	RetentionService(AnalyticsQueries queries, Purchases purchases) {
		this.queries = queries;
		this.purchases = purchases;
	}

	RetentionResult retention(String workspace, DateRange range, String cohort, String period, String event,
			int periods) {
		if (!List.of("first-seen", "first-purchase").contains(cohort)) {
			throw Invalid.at("cohort", "cohort is first-seen or first-purchase");
		}
		if (!List.of("day", "week", "month").contains(period)) {
			throw Invalid.at("period", "period is day, week or month");
		}
		if (periods < 1 || periods > 36) {
			throw Invalid.at("periods", "periods is 1-36");
		}
		if (event != null && (event.isBlank() || event.length() > 200)) {
			throw Invalid.at("event", "event is a track event's name");
		}
		MapSqlParameterSource parameters = KpiService.parameters(workspace, range)
			.addValue("unit", period)
			.addValue("periods", periods)
			.addValue("event", event)
			.addValue("horizon", Timestamp.from(end(range.to(), period, periods)));
		String members = "first-seen".equals(cohort) ? """
				select p.profile_id, date_trunc(:unit, p.first_seen_at, 'UTC') as c from profile.profile p
				 where p.workspace_id = :ws and p.first_seen_at >= :from and p.first_seen_at < :to""" : """
				select e.profile_id, date_trunc(:unit, min(e.occurred_at), 'UTC') as c from profile.profile_event e
				 where e.workspace_id = :ws and %s group by e.profile_id
				having min(e.occurred_at) >= :from and min(e.occurred_at) < :to"""
			.formatted(this.purchases.isPurchase("e", parameters));
		String age = switch (period) {
			case "month" ->
				"((extract(year from a.a at time zone 'UTC') - extract(year from c.c at time zone 'UTC')) * 12"
						+ " + extract(month from a.a at time zone 'UTC') - extract(month from c.c at time zone 'UTC'))::int";
			case "week" -> "(extract(epoch from a.a - c.c) / 604800)::int";
			default -> "(extract(epoch from a.a - c.c) / 86400)::int";
		};
		String sql = """
				with cohort as (%1$s),
				activity as (
				  select distinct e.profile_id, date_trunc(:unit, e.occurred_at, 'UTC') as a
				    from profile.profile_event e join cohort c on c.profile_id = e.profile_id
				   where e.workspace_id = :ws and e.occurred_at >= c.c and e.occurred_at < :horizon
				     and e.event_type not in ('identify', 'alias', 'group')
				     and (cast(:event as text) is null or (e.event_type = 'track' and e.event_name = cast(:event as text))))
				select c.c as cohort, -1 as age, count(*) as profiles from cohort c group by c.c
				union all
				select c.c, %2$s as age, count(*) from cohort c join activity a on a.profile_id = c.profile_id
				 group by 1, 2 having %2$s <= :periods
				order by 1, 2"""
			.formatted(members, age);
		Map<Instant, long[]> rows = new LinkedHashMap<>();
		Instant observed = this.queries.run(() -> {
			this.queries.jdbc().query(sql, parameters, (java.sql.ResultSet row) -> {
				Instant start = row.getTimestamp("cohort").toInstant();
				long[] counts = rows.computeIfAbsent(start, (key) -> new long[periods + 2]);
				int n = row.getInt("age");
				if (n >= -1 && n <= periods) {
					counts[n + 1] = row.getLong("profiles");
				}
			});
			Timestamp last = this.queries.jdbc()
				.queryForObject("select max(last_seen_at) from profile.profile where workspace_id = :ws", parameters,
						Timestamp.class);
			return (last != null) ? last.toInstant() : null;
		});
		List<RetentionResult.Cohort> cohorts = new ArrayList<>();
		rows.forEach((start, counts) -> {
			List<Long> retained = new ArrayList<>();
			List<Double> rates = new ArrayList<>();
			for (int n = 0; n <= periods; n++) {
				boolean known = observed != null && !end(start, period, n).isAfter(observed);
				retained.add(known || n == 0 ? counts[n + 1] : null);
				rates.add(known || n == 0 ? ((counts[0] == 0) ? 0 : (double) counts[n + 1] / counts[0]) : null);
			}
			cohorts.add(new RetentionResult.Cohort(start, counts[0], retained, rates));
		});
		return new RetentionResult(cohort, period, event, periods, observed, cohorts);
	}

	/** The end of period {@code n} after the one starting at {@code start}. */
	static Instant end(Instant start, String period, int n) {
		ZonedDateTime at = start.atZone(ZoneOffset.UTC);
		return switch (period) {
			case "month" -> at.plusMonths(n + 1L).toInstant();
			case "week" -> at.plusWeeks(n + 1L).toInstant();
			default -> at.plusDays(n + 1L).toInstant();
		};
	}

}
