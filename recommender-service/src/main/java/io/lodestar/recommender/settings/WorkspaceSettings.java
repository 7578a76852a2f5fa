package io.lodestar.recommender.settings;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import io.lodestar.recommender.system.RecommenderProperties;
import io.lodestar.recommender.system.RecommenderProperties.PromotionPolicy;
import io.lodestar.web.Workspace;

/**
 * Each workspace's promotion policy and repeatable categories: its own row of
 * {@code recommender.workspace_settings} where set, the service's defaults otherwise.
 * Held in memory (the serving path reads them on every request), reloaded with the models
 * and at once on a change made here.
 */
@Service
public class WorkspaceSettings {

	private final JdbcClient jdbc;

	private final RecommenderProperties properties;

	private volatile Map<String, Settings> byWorkspace = Map.of();

	WorkspaceSettings(JdbcClient jdbc, RecommenderProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * @param workspace the workspace
	 * @return its settings, defaults filled in
	 */
	public Settings of(String workspace) {
		Settings own = this.byWorkspace.get(workspace);
		return (own != null) ? own : defaults(null, null);
	}

	/**
	 * Sets the workspace's choices; null keeps the service's default.
	 * @param workspace the workspace
	 * @param policy the promotion policy, or null
	 * @param repeatableCategories the categories that may repeat, or null
	 * @return the settings now in effect
	 */
	public Settings update(Workspace workspace, PromotionPolicy policy, List<String> repeatableCategories) {
		this.jdbc
			.sql("""
					insert into recommender.workspace_settings (workspace_id, promotion_policy, repeatable_categories, updated_at)
					values (:workspace, :policy, :categories, now())
					on conflict (workspace_id) do update set promotion_policy = excluded.promotion_policy,
					       repeatable_categories = excluded.repeatable_categories, updated_at = now()""")
			.param("workspace", workspace.id())
			.param("policy", (policy != null) ? policy.code() : null)
			.param("categories", (repeatableCategories != null) ? repeatableCategories.toArray(String[]::new) : null)
			.update();
		reload();
		return of(workspace.id());
	}

	@Scheduled(fixedDelayString = "${lodestar.recommender.reload-interval:5s}")
	public void reload() {
		Map<String, Settings> loaded = new ConcurrentHashMap<>();
		this.jdbc
			.sql("select workspace_id, promotion_policy, repeatable_categories from recommender.workspace_settings")
			.query((row, n) -> {
				loaded.put(row.getString("workspace_id"),
						defaults(PromotionPolicy.ofCode(row.getString("promotion_policy")),
								strings(row.getArray("repeatable_categories"))));
				return null;
			})
			.list();
		this.byWorkspace = loaded;
	}

	private Settings defaults(PromotionPolicy policy, List<String> repeatable) {
		boolean ownPolicy = policy != null;
		boolean ownCategories = repeatable != null;
		List<String> categories = ownCategories ? repeatable : this.properties.repeatableCategories();
		return new Settings((policy != null) ? policy : this.properties.promotionPolicy(), ownPolicy,
				List.copyOf(categories), ownCategories,
				categories.stream().map(Settings::key).collect(Collectors.toUnmodifiableSet()));
	}

	private static List<String> strings(Array array) throws SQLException {
		if (array == null) {
			return null;
		}
		return new ArrayList<>(Arrays.asList((String[]) array.getArray()));
	}

	/**
	 * A workspace's settings in effect.
	 *
	 * @param promotionPolicy how candidates are promoted
	 * @param ownPolicy whether the workspace chose it (else the service's default)
	 * @param repeatableCategories categories whose items may be recommended after a
	 * purchase
	 * @param ownCategories whether the workspace chose them
	 * @param repeatableKeys the same, as {@link #key(String)} gives them
	 */
	public record Settings(PromotionPolicy promotionPolicy, boolean ownPolicy, List<String> repeatableCategories,
			boolean ownCategories, Set<String> repeatableKeys) {

		/**
		 * Categories compare without case and surrounding blanks.
		 * @param category a category, may be null
		 * @return its comparison key, or null
		 */
		public static String key(String category) {
			return (category != null) ? category.strip().toLowerCase(Locale.ROOT) : null;
		}

		/**
		 * @param category an item's category, may be null
		 * @return whether items of that category may be recommended after a purchase
		 */
		public boolean repeatable(String category) {
			return category != null && this.repeatableKeys.contains(key(category));
		}

	}

}
