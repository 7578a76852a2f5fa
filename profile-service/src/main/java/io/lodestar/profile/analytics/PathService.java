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

	PathService(AnalyticsQueries queries) {
		this.queries = queries;
	}

	PathResult run(String workspace, PathRequest request) {
		long started = System.nanoTime();
		request.validate();
		DateRange range = DateRange.parse(request.from(), request.to(), "/");
		int depth = request.effectiveDepth();
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("ws", workspace)
			.addValue("from", range.fromTimestamp())
			.addValue("to", range.toTimestamp())
			.addValue("take", request.collapsing() ? depth * 2 : depth);
		// with repeats collapsed, twice the depth leaves room for the usual repeats
		String comparison = request.forward() ? ">" : "<";
		String order = request.forward() ? "asc" : "desc";
		String sql = "select s.anchor, array(select " + LABEL
				+ " from profile.profile_event e where e.workspace_id = :ws and e.profile_id = s.profile_id"
				+ " and (e.occurred_at, e.event_id) " + comparison + " (s.t0, s.event_id)" + " order by e.occurred_at "
				+ order + ", e.event_id " + order + " limit :take) as steps"
				+ " from (select distinct on (e.profile_id) e.profile_id, e.occurred_at as t0, e.event_id, " + LABEL
				+ " as anchor" + " from profile.profile_event e where e.workspace_id = :ws and e.occurred_at >= :from"
				+ " and e.occurred_at < :to and " + request.anchor().sql("e", "a_", parameters)
				+ " order by e.profile_id, e.occurred_at, e.event_id) s";
		List<List<String>> paths = this.queries.query(sql, parameters, (row, n) -> {
			List<String> path = new ArrayList<>();
			path.add(row.getString("anchor"));
			Array steps = row.getArray("steps");
			for (Object label : (Object[]) steps.getArray()) {
				String text = (String) label;
				if (request.collapsing() && text.equals(path.get(path.size() - 1))) {
					continue;
				}
				if (path.size() > depth) {
					break;
				}
				path.add(text);
			}
			return path;
		});
		return aggregate(range, request, paths, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	/** Nodes and links of the given paths (each starts with the anchor's label). */
	static PathResult aggregate(DateRange range, PathRequest request, List<List<String>> paths, long durationMs) {
		int depth = request.effectiveDepth();
		List<Set<String>> kept = new ArrayList<>();
		for (int step = 0; step <= depth; step++) {
			Map<String, Long> counts = new HashMap<>();
			for (List<String> path : paths) {
				if (path.size() > step) {
					counts.merge(path.get(step), 1L, Long::sum);
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
		for (List<String> path : paths) {
			String previous = null;
			for (int step = 0; step < path.size() && step <= depth; step++) {
				String label = kept.get(step).contains(path.get(step)) ? path.get(step) : PathResult.OTHER;
				String id = step + ":" + label;
				long[] node = nodes.computeIfAbsent(id, (key) -> new long[2]);
				node[0]++;
				if (step == path.size() - 1 && step < depth) {
					node[1]++;
				}
				if (previous != null) {
					links.merge(previous + "\u0000" + id, 1L, Long::sum);
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
		return new PathResult(range.from(), range.to(), request.forward() ? "after" : "before", paths.size(), nodeList,
				linkList, durationMs);
	}

}
