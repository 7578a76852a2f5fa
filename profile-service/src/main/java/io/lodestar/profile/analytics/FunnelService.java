package io.lodestar.profile.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * Funnels on the event timeline, the way Mixpanel and Amplitude count them by default: a
 * profile enters at its first step-1 event in the range; step k is its first step-k event
 * after its step k-1 and within the window of its step-1 event (which may end after the
 * range). A profile that performed an exclusion event between two of its steps is left
 * out. Each step after the first is one index probe per profile
 * ({@code profile_event_profile_name_ix}).
 */
@Service
class FunnelService {

	static final int GROUPS = 20;

	private final AnalyticsQueries queries;

	private final EventIndex index;

	FunnelService(AnalyticsQueries queries, EventIndex index) {
		this.queries = queries;
		this.index = index;
	}

	/**
	 * The funnel, from the in-memory timeline when it can answer (no property filters, no
	 * breakdown; ADR 0033), else by SQL.
	 */
	FunnelResult run(String workspace, FunnelRequest request) {
		long started = System.nanoTime();
		Duration window = request.validate();
		DateRange range = DateRange.parse(request.from(), request.to(), "/");
		if (IndexedAnalytics.answers(request)) {
			Optional<IndexedEvents> indexed = this.index.current(workspace);
			if (indexed.isPresent()) {
				IndexedAnalytics.Funnel funnel = IndexedAnalytics.funnel(indexed.get(), request, window, range);
				return new FunnelResult(range.from(), range.to(), window.toString(), funnel.excluded(),
						steps(request, funnel.counts(), funnel.medians()), null, List.of(),
						Duration.ofNanos(System.nanoTime() - started).toMillis());
			}
		}
		return sql(workspace, request, window, range, started);
	}

	/** The funnel by SQL on the timeline table. */
	FunnelResult sql(String workspace, FunnelRequest request) {
		return sql(workspace, request, request.validate(), DateRange.parse(request.from(), request.to(), "/"),
				System.nanoTime());
	}

	private FunnelResult sql(String workspace, FunnelRequest request, Duration window, DateRange range, long started) {
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		String funnel = funnelSql(workspace, request, window, range, parameters);
		int n = request.steps().size();
		StringBuilder select = new StringBuilder("with funnel as (").append(funnel)
			.append("), grouped as (")
			.append("select *, case when dense_rank() over (order by group_size desc, bd) <= ")
			.append(GROUPS)
			.append(" then bd else '(other)' end as g from (select *, count(*) over (partition by bd) as group_size")
			.append(" from funnel where not excluded) ranked)")
			.append(" select grouping(g) as overall, g");
		for (int k = 1; k <= n; k++) {
			select.append(", count(t").append(k).append(") as c").append(k);
		}
		for (int k = 2; k <= n; k++) {
			select.append(", percentile_cont(0.5) within group (order by extract(epoch from t")
				.append(k)
				.append(" - t")
				.append(k - 1)
				.append(")) as m")
				.append(k);
		}
		select.append(" from grouped group by grouping sets ((), (g))");
		String sql = select.toString();
		boolean broken = request.breakdown() != null;
		List<FunnelResult.Step> overall = new ArrayList<>();
		List<FunnelResult.Group> groups = new ArrayList<>();
		long excluded = this.queries.run(() -> {
			this.queries.jdbc().query(sql, parameters, (ResultSet row) -> {
				List<FunnelResult.Step> steps = steps(request, row);
				if (row.getInt("overall") == 1) {
					overall.addAll(steps);
				}
				else if (broken) {
					groups.add(new FunnelResult.Group(row.getString("g"), steps));
				}
			});
			if (request.exclusions() == null || request.exclusions().isEmpty()) {
				return 0L;
			}
			Long count = this.queries.jdbc()
				.queryForObject("with funnel as (" + funnel + ") select count(*) from funnel where excluded",
						parameters, Long.class);
			return (count != null) ? count : 0L;
		});
		if (overall.isEmpty()) {
			overall.addAll(emptySteps(request));
		}
		groups.sort((a, b) -> Long.compare(b.steps().get(0).count(), a.steps().get(0).count()));
		return new FunnelResult(range.from(), range.to(), window.toString(), excluded, overall, request.breakdown(),
				groups, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	/**
	 * The profiles that reached step {@code step - 1} and not {@code step}, ordered by
	 * profile id, after {@code cursor}.
	 */
	List<Map<String, Object>> dropped(String workspace, FunnelRequest request, int step, UUID cursor, int limit) {
		Duration window = request.validate();
		if (step < 2 || step > request.steps().size()) {
			throw Invalid.at("/step", "step is 2-" + request.steps().size() + ": the step they did not reach");
		}
		DateRange range = DateRange.parse(request.from(), request.to(), "/funnel/");
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		String funnel = funnelSql(workspace, request, window, range, parameters);
		parameters.addValue("cursor", cursor);
		parameters.addValue("limit", limit);
		String sql = "with funnel as (" + funnel + ") select f.profile_id, p.user_id, f.t" + (step - 1)
				+ " as reached_at from funnel f join profile.profile p on p.workspace_id = :ws and p.profile_id = f.profile_id"
				+ " where not f.excluded and f.t" + (step - 1) + " is not null and f.t" + step + " is null"
				+ " and (cast(:cursor as uuid) is null or f.profile_id > cast(:cursor as uuid))"
				+ " order by f.profile_id limit :limit";
		return this.queries.query(sql, parameters, (row, i) -> {
			Map<String, Object> profile = new LinkedHashMap<>();
			profile.put("profileId", row.getObject("profile_id", UUID.class));
			profile.put("userId", row.getString("user_id"));
			profile.put("reachedPreviousStepAt", row.getTimestamp("reached_at").toInstant());
			return profile;
		});
	}

	/**
	 * {@code profile_id, t1 … tn, bd, excluded}: every profile that entered the funnel.
	 */
	private static String funnelSql(String workspace, FunnelRequest request, Duration window, DateRange range,
			MapSqlParameterSource parameters) {
		parameters.addValue("ws", workspace);
		parameters.addValue("from", range.fromTimestamp());
		parameters.addValue("to", range.toTimestamp());
		parameters.addValue("window", window.toSeconds());
		List<EventMatch> steps = request.steps();
		String breakdown = "null::text";
		if (request.breakdown() != null) {
			String key = request.breakdown().substring(request.breakdown().indexOf('.') + 1);
			parameters.addValue("bdk", key);
			if (request.breakdown().startsWith("traits.")) {
				breakdown = "(select p.traits #>> string_to_array(:bdk, '.') from profile.profile p"
						+ " where p.workspace_id = :ws and p.profile_id = s1.profile_id)";
			}
			else {
				breakdown = "s1.bd";
			}
		}
		StringBuilder sql = new StringBuilder();
		sql.append("select s1.profile_id, s1.t1");
		for (int k = 2; k <= steps.size(); k++) {
			sql.append(", x").append(k).append(".t").append(k);
		}
		sql.append(", coalesce(").append(breakdown).append(", '(none)') as bd, ");
		sql.append(exclusions(request, parameters));
		boolean eventBreakdown = request.breakdown() != null && request.breakdown().startsWith("properties.");
		if (eventBreakdown) {
			// the breakdown value is the first step-1 event's own
			sql.append(" from (select distinct on (e.profile_id) e.profile_id, e.occurred_at as t1,")
				.append(" e.properties #>> string_to_array(:bdk, '.') as bd from profile.profile_event e")
				.append(" where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to and ")
				.append(steps.get(0).sql("e", "s1_", parameters))
				.append(" order by e.profile_id, e.occurred_at) s1");
		}
		else {
			sql.append(" from (select e.profile_id, min(e.occurred_at) as t1 from profile.profile_event e")
				.append(" where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to and ")
				.append(steps.get(0).sql("e", "s1_", parameters))
				.append(" group by e.profile_id) s1");
		}
		for (int k = 2; k <= steps.size(); k++) {
			String previous = (k == 2) ? "s1.t1" : "x" + (k - 1) + ".t" + (k - 1);
			sql.append(" cross join lateral (select min(e.occurred_at) as t")
				.append(k)
				.append(" from profile.profile_event e where ")
				.append(previous)
				.append(" is not null and e.workspace_id = :ws and e.profile_id = s1.profile_id and ")
				.append(steps.get(k - 1).sql("e", "s" + k + "_", parameters))
				.append(" and e.occurred_at > ")
				.append(previous)
				.append(" and e.occurred_at <= s1.t1 + make_interval(secs => :window)) x")
				.append(k);
		}
		return sql.toString();
	}

	private static String exclusions(FunnelRequest request, MapSqlParameterSource parameters) {
		List<FunnelRequest.Exclusion> exclusions = (request.exclusions() != null) ? request.exclusions() : List.of();
		if (exclusions.isEmpty()) {
			return "false as excluded";
		}
		StringBuilder sql = new StringBuilder("(");
		for (int i = 0; i < exclusions.size(); i++) {
			FunnelRequest.Exclusion exclusion = exclusions.get(i);
			String after = time(request.afterStep(exclusion));
			String before = time(request.beforeStep(exclusion));
			sql.append((i == 0) ? "" : " or ")
				.append("(")
				.append(after)
				.append(" is not null and exists (select 1 from profile.profile_event e where e.workspace_id = :ws")
				.append(" and e.profile_id = s1.profile_id and ")
				.append(exclusion.match().sql("e", "x" + i + "_", parameters))
				.append(" and e.occurred_at > ")
				.append(after)
				.append(" and e.occurred_at < coalesce(")
				.append(before)
				.append(", s1.t1 + make_interval(secs => :window))))");
		}
		return sql.append(") as excluded").toString();
	}

	private static String time(int step) {
		return (step == 1) ? "s1.t1" : "x" + step + ".t" + step;
	}

	private static List<FunnelResult.Step> steps(FunnelRequest request, ResultSet row) throws SQLException {
		int n = request.steps().size();
		long[] counts = new long[n];
		Double[] medians = new Double[n];
		for (int k = 1; k <= n; k++) {
			counts[k - 1] = row.getLong("c" + k);
			if (k > 1) {
				double value = row.getDouble("m" + k);
				medians[k - 1] = row.wasNull() ? null : value;
			}
		}
		return steps(request, counts, medians);
	}

	/** Steps from their counts and the medians of the times from the step before. */
	private static List<FunnelResult.Step> steps(FunnelRequest request, long[] counts, Double[] medians) {
		List<FunnelResult.Step> steps = new ArrayList<>();
		long first = counts[0];
		long previous = first;
		for (int k = 1; k <= request.steps().size(); k++) {
			long count = counts[k - 1];
			steps.add(new FunnelResult.Step(k, request.steps().get(k - 1).label(), count, share(count, first),
					share(count, previous), previous - count, medians[k - 1]));
			previous = count;
		}
		return steps;
	}

	private static List<FunnelResult.Step> emptySteps(FunnelRequest request) {
		List<FunnelResult.Step> steps = new ArrayList<>();
		for (int k = 1; k <= request.steps().size(); k++) {
			steps.add(new FunnelResult.Step(k, request.steps().get(k - 1).label(), 0, 0, 0, 0, null));
		}
		return steps;
	}

	private static double share(long part, long whole) {
		return (whole == 0) ? 0 : (double) part / whole;
	}

}
