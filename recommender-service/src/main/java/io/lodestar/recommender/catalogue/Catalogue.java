package io.lodestar.recommender.catalogue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import io.lodestar.recommender.settings.WorkspaceSettings;

/**
 * Each workspace's catalogue in memory, for the serving filters (category, price,
 * availability) and the item attributes of every answer. A workspace's catalogue is read
 * on its first request, then checked every {@code catalogue-refresh} (row count and
 * newest change of {@code item} and {@code item_override}) and read again when it
 * changed; a change through this service's API is applied at once.
 */
@Service
public class Catalogue {

	private static final Logger logger = LoggerFactory.getLogger(Catalogue.class);

	static final String EFFECTIVE = """
			select i.item_id, coalesce(o.name, i.name) as name, coalesce(o.category, i.category) as category,
			       coalesce(o.brand, i.brand) as brand, coalesce(o.price, i.price) as price, i.available
			  from recommender.item i
			  left join recommender.item_override o on o.workspace_id = i.workspace_id and o.item_id = i.item_id
			""";

	/**
	 * Read again after this long even when the fingerprint is the same (a writer that did
	 * not touch {@code updated_at}).
	 */
	private static final Duration FULL_READ = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

	Catalogue(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param workspace the workspace
	 * @return its catalogue as last read
	 */
	public Snapshot of(String workspace) {
		Snapshot snapshot = this.snapshots.get(workspace);
		return (snapshot != null) ? snapshot : this.snapshots.computeIfAbsent(workspace, this::read);
	}

	/** Reads a workspace's catalogue again, now. */
	void refresh(String workspace) {
		this.snapshots.put(workspace, read(workspace));
	}

	@Scheduled(fixedDelayString = "${lodestar.recommender.catalogue-refresh:10s}")
	void refreshChanged() {
		for (Map.Entry<String, Snapshot> entry : List.copyOf(this.snapshots.entrySet())) {
			try {
				if (entry.getValue().readAt().isBefore(Instant.now().minus(FULL_READ))
						|| !fingerprint(entry.getKey()).equals(entry.getValue().fingerprint())) {
					refresh(entry.getKey());
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Workspace {}: catalogue not refreshed ({})", entry.getKey(),
						ex.getClass().getSimpleName());
			}
		}
	}

	private String fingerprint(String workspace) {
		return this.jdbc.sql("""
				select (select count(*) || ':' || coalesce(max(updated_at)::text, '') from recommender.item
				         where workspace_id = :workspace)
				       || '/' ||
				       (select count(*) || ':' || coalesce(max(updated_at)::text, '') from recommender.item_override
				         where workspace_id = :workspace)""")
			.param("workspace", workspace)
			.query(String.class)
			.single();
	}

	private Snapshot read(String workspace) {
		String fingerprint = fingerprint(workspace);
		Map<String, CatalogueItem> items = new HashMap<>();
		this.jdbc.sql(EFFECTIVE + " where i.workspace_id = :workspace")
			.param("workspace", workspace)
			.query((ResultSet row) -> {
				CatalogueItem item = item(row);
				items.put(item.itemId(), item);
			});
		return new Snapshot(Map.copyOf(items), Map.copyOf(categoryKeys(items)), fingerprint, Instant.now());
	}

	private static Map<String, String> categoryKeys(Map<String, CatalogueItem> items) {
		Map<String, String> keys = new HashMap<>();
		items.values().forEach((item) -> {
			if (item.category() != null) {
				keys.put(item.itemId(), WorkspaceSettings.Settings.key(item.category()));
			}
		});
		return keys;
	}

	static CatalogueItem item(ResultSet row) throws SQLException {
		return new CatalogueItem(row.getString("item_id"), row.getString("name"), row.getString("category"),
				row.getString("brand"), row.getBigDecimal("price"), row.getBoolean("available"));
	}

	/**
	 * A workspace's catalogue at one moment.
	 *
	 * @param items the items by id
	 * @param categoryKeys each item's category as compared ({@code Settings.key})
	 * @param fingerprint what it was read at
	 * @param readAt when
	 */
	public record Snapshot(Map<String, CatalogueItem> items, Map<String, String> categoryKeys, String fingerprint,
			Instant readAt) {

		/**
		 * @param itemId an item id
		 * @return the item, or an unknown (available, attribute-less) item
		 */
		public CatalogueItem item(String itemId) {
			CatalogueItem item = this.items.get(itemId);
			return (item != null) ? item : CatalogueItem.unknown(itemId);
		}

		/**
		 * @param itemId an item id
		 * @return whether the catalogue has it
		 */
		public boolean contains(String itemId) {
			return this.items.containsKey(itemId);
		}

		/**
		 * @param itemId an item id
		 * @return its category's comparison key, or null
		 */
		public String categoryKey(String itemId) {
			return this.categoryKeys.get(itemId);
		}

	}

}
