package io.lodestar.profile.analytics;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * Path analysis: each profile's first anchor event in the range, then its next (or
 * previous) events in time order, read through the timeline index with one probe per
 * profile. Labels outside the most frequent {@code top} of their step become "other".
 */
@Service
class PathService {

	/**
	 * The label of an event: its name, or its view type with the page path / screen name.
	 */
	static final String LABEL = """
			case e.event_type when 'track' then e.event_name
			 when 'page' then 'page ' || coalesce(e.properties ->> 'path', e.properties ->> 'url', e.properties ->> 'name', '')
			 when 'screen' then 'screen ' || coalesce(e.properties ->> 'name', '')
			 else e.event_type end""";

	private final AnalyticsQueries queries;

	private final EventIndex index;

	PathService(AnalyticsQueries queries, EventIndex index) {
		this.queries = queries;
		this.index = index;
	}

	/**
	 * The paths, from the in-memory timeline when it can answer (an anchor without
	 * property filters; ADR 0033), else by SQL.
	 */
	PathResult run(String workspace, PathRequest request) {
		long started = System.nanoTime();
		request.validate();
		DateRange range = DateRange.parse(request.from(), request.to(), "/");
		if (IndexedAnalytics.answers(request)) {
			Optional<IndexedEvents> indexed = this.index.current(workspace);
			if (indexed.isPresent()) {
				return aggregate(range, request, IndexedAnalytics.paths(indexed.get(), request, range),
						Duration.ofNanos(System.nanoTime() - started).toMillis());
			}
		}
		return sql(workspace, request, range, started);
	}

	/** The paths by SQL on the timeline table. */
	PathResult sql(String workspace, PathRequest request) {
		request.validate();
		return sql(workspace, request, DateRange.parse(request.from(), request.to(), "/"), System.nanoTime());
	}

	private PathResult sql(String workspace, PathRequest request, DateRange range, long started) {
		int depth = request.effectiveDepth();
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("ws", workspace)
			.addValue("from", range.fromTimestamp())
			.addValue("to", range.toTimestamp())
			.addValue("take", request.collapsing() ? depth * 2 : depth);
		// with repeats collapsed, twice the depth leaves room for the usual repeats
		String comparison = request.forward() ? ">" : "<";
		String order = request.forward() ? "asc" : "desc";
		// each profile's anchor and next events, counted per distinct sequence by
		// PostgreSQL: the service holds distinct paths, not one per profile (a million
		// profiles' paths do not fit a service's heap)
		String sql = "select x.path, count(*) as profiles from (select array[s.anchor] || array(select " + LABEL
				+ " from profile.profile_event e where e.workspace_id = :ws and e.profile_id = s.profile_id"
				+ " and (e.occurred_at, e.event_id) " + comparison + " (s.t0, s.event_id)" + " order by e.occurred_at "
				+ order + ", e.event_id " + order + " limit :take) as path"
				+ " from (select distinct on (e.profile_id) e.profile_id, e.occurred_at as t0, e.event_id, " + LABEL
				+ " as anchor" + " from profile.profile_event e where e.workspace_id = :ws and e.occurred_at >= :from"
				+ " and e.occurred_at < :to and " + request.anchor().sql("e", "a_", parameters)
				+ " order by e.profile_id, e.occurred_at, e.event_id) s) x group by x.path";
		Map<List<String>, Long> paths = new HashMap<>();
		this.queries.query(sql, parameters, (row, n) -> {
			Array labels = row.getArray("path");
			List<String> path = new ArrayList<>();
			for (Object label : (Object[]) labels.getArray()) {
				String text = (String) label;
				if (!path.isEmpty() && request.collapsing() && text.equals(path.get(path.size() - 1))) {
					continue;
				}
				if (path.size() > depth) {
					break;
				}
				path.add(text);
			}
			paths.merge(path, row.getLong("profiles"), Long::sum);
			return null;
		});
		return aggregate(range, request, paths, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	/**
	 * Nodes and links of the given paths (each starts with the anchor's label).
	 * @param paths each distinct path and how many profiles took it
	 */
	static PathResult aggregate(DateRange range, PathRequest request, Map<List<String>, Long> paths, long durationMs) {
		int depth = request.effectiveDepth();
		List<Set<String>> kept = new ArrayList<>();
		for (int step = 0; step <= depth; step++) {
			Map<String, Long> counts = new HashMap<>();
			for (Map.Entry<List<String>, Long> path : paths.entrySet()) {
				if (path.getKey().size() > step) {
					counts.merge(path.getKey().get(step), path.getValue(), Long::sum);
				}
			}
			Set<String> top = new HashSet<>();
			counts.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
				.limit(request.effectiveTop())
				.forEach((entry) -> top.add(entry.getKey()));
			kept.add(top);
		}
		Map<String, long[]> nodes = new LinkedHashMap<>();
		Map<String, Long> links = new LinkedHashMap<>();
		long profiles = 0;
		for (Map.Entry<List<String>, Long> entry : paths.entrySet()) {
			List<String> path = entry.getKey();
			long weight = entry.getValue();
			profiles += weight;
			String previous = null;
			for (int step = 0; step < path.size() && step <= depth; step++) {
				String label = kept.get(step).contains(path.get(step)) ? path.get(step) : PathResult.OTHER;
				String id = step + ":" + label;
				long[] node = nodes.computeIfAbsent(id, (key) -> new long[2]);
				node[0] += weight;
				if (step == path.size() - 1 && step < depth) {
					node[1] += weight;
				}
				if (previous != null) {
					links.merge(previous + "\u0000" + id, weight, Long::sum);
				}
				previous = id;
			}
		}
		List<PathResult.Node> nodeList = new ArrayList<>();
		nodes.forEach((id, counts) -> {
			int colon = id.indexOf(':');
			nodeList.add(new PathResult.Node(id, Integer.parseInt(id.substring(0, colon)), id.substring(colon + 1),
					counts[0], counts[1]));
		});
		nodeList.sort(Comparator.comparingInt(PathResult.Node::step)
			.thenComparing(Comparator.comparingLong(PathResult.Node::profiles).reversed())
			.thenComparing(PathResult.Node::label));
		List<PathResult.Link> linkList = new ArrayList<>();
		links.forEach((key, count) -> {
			int split = key.indexOf('\u0000');
			linkList.add(new PathResult.Link(key.substring(0, split), key.substring(split + 1), count));
		});
		linkList.sort(Comparator.comparingLong(PathResult.Link::profiles)
			.reversed()
			.thenComparing(PathResult.Link::source)
			.thenComparing(PathResult.Link::target));
		return new PathResult(range.from(), range.to(), request.forward() ? "after" : "before", profiles, nodeList,
				linkList, durationMs);
	}

}
