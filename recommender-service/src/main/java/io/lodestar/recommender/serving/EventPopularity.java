package io.lodestar.recommender.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.recommender.model.ModelRegistry;
import io.lodestar.recommender.system.RecommenderProperties;

/**
 * Popularity for workspaces that have no model yet: the distinct buyers of each item in
 * the workspace's purchases ({@code Order Completed} {@code products[]}) over the
 * {@code popularity-window} before its newest purchase. Computed on a workspace's first
 * request without a model, then refreshed every {@code popularity-refresh} while it has
 * none.
 */
@Component
class EventPopularity {

	private static final Logger logger = LoggerFactory.getLogger(EventPopularity.class);

	static final int TOP = 5_000;

	private final JdbcClient jdbc;

	private final ModelRegistry registry;

	private final RecommenderProperties properties;

	private final Map<String, Ranking> rankings = new ConcurrentHashMap<>();

	EventPopularity(JdbcClient jdbc, ModelRegistry registry, RecommenderProperties properties) {
		this.jdbc = jdbc;
		this.registry = registry;
		this.properties = properties;
	}

	Ranking of(String workspace) {
		Ranking ranking = this.rankings.get(workspace);
		return (ranking != null) ? ranking : this.rankings.computeIfAbsent(workspace, this::compute);
	}

	@Scheduled(fixedDelayString = "${lodestar.recommender.popularity-refresh:10m}",
			initialDelayString = "${lodestar.recommender.popularity-refresh:10m}")
	void refresh() {
		for (String workspace : List.copyOf(this.rankings.keySet())) {
			if (this.registry.current(workspace) != null) {
				this.rankings.remove(workspace);
				continue;
			}
			try {
				this.rankings.put(workspace, compute(workspace));
			}
			catch (RuntimeException ex) {
				logger.warn("Workspace {}: popularity not refreshed ({})", workspace, ex.getClass().getSimpleName());
			}
		}
	}

	private Ranking compute(String workspace) {
		List<String> items = new ArrayList<>();
		List<Double> buyers = new ArrayList<>();
		this.jdbc.sql("""
				with newest as (
				  select max(occurred_at) as at from profile.profile_event
				   where workspace_id = :workspace and event_name = 'Order Completed' and event_type = 'track')
				select coalesce(p ->> 'product_id', p ->> 'productId') as item, count(distinct e.profile_id) as buyers
				  from profile.profile_event e
				 cross join lateral jsonb_array_elements(case when jsonb_typeof(e.properties -> 'products') = 'array'
				                                              then e.properties -> 'products' else '[]'::jsonb end) p
				 where e.workspace_id = :workspace and e.event_name = 'Order Completed' and e.event_type = 'track'
				   and e.occurred_at >= (select at from newest) - make_interval(secs => :window)
				   and coalesce(p ->> 'product_id', p ->> 'productId') is not null
				 group by 1 order by 2 desc, 1 limit :top""")
			.param("workspace", workspace)
			.param("window", (double) this.properties.popularityWindow().toSeconds())
			.param("top", TOP)
			.query((row, n) -> {
				items.add(row.getString(1));
				buyers.add(row.getDouble(2));
				return null;
			})
			.list();
		return Ranking.of(items.toArray(String[]::new), buyers.stream().mapToDouble(Double::doubleValue).toArray());
	}

}
