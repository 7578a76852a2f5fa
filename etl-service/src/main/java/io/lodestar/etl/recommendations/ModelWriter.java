package io.lodestar.etl.recommendations;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a trained model into recommender-service's tables, in one transaction (the
 * contract: {@code recommender-service/src/main/resources/db/migration/V2__models.sql}):
 * the version as a {@code candidate} with its parameters and hold-out metrics, every
 * item's factors and popularity, every profile's factors and purchased items, and the
 * catalogue's name, category, brand and price (never {@code available}, which
 * recommender-service owns).
 */
@Component
class ModelWriter {

	private static final Logger logger = LoggerFactory.getLogger(ModelWriter.class);

	private static final int BATCH = 1000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	ModelWriter(JdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
	}

	/**
	 * Rows written.
	 *
	 * @param users model_user rows
	 * @param items model_item rows
	 * @param catalogue recommender.item rows upserted
	 */
	record Written(long users, long items, long catalogue) {
	}

	Written write(UUID versionId, String workspace, RecommendationTrainer.Trained trained, Map<String, Object> params,
			List<Row> catalogue, long durationMs) {
		TrainingData data = trained.data();
		AlsFit.Factors factors = trained.factors();
		List<Integer> items = new ArrayList<>();
		for (int i = 0; i < data.items.length; i++) {
			if (factors.items()[i] != null) {
				items.add(i);
			}
		}
		List<Integer> users = new ArrayList<>();
		int skipped = 0;
		for (int u = 0; u < data.users.length; u++) {
			if (factors.users()[u] == null) {
				continue;
			}
			if (uuid(data.users[u]) == null) {
				skipped++;
				continue;
			}
			users.add(u);
		}
		if (items.isEmpty() || users.isEmpty()) {
			throw new IllegalStateException("ALS returned no factors for " + data.items.length + " items and "
					+ data.users.length + " profiles");
		}
		Written written = this.transactions.execute((status) -> {
			this.jdbc.update("""
					insert into recommender.model_version (version_id, workspace_id, status, params, metrics, cutoff,
					    interactions, users, items, duration_ms)
					values (?, ?, 'candidate', cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?)""", versionId,
					workspace, this.json.writeValueAsString(params),
					this.json.writeValueAsString(trained.evaluation().metrics()),
					Timestamp.from(trained.evaluation().cutoff()), data.interactions, users.size(), items.size(),
					durationMs);
			this.jdbc.batchUpdate("""
					insert into recommender.model_item (version_id, item_index, item_id, factors, popularity)
					values (?, ?, ?, ?, ?)""", items, BATCH, (statement, i) -> {
				statement.setObject(1, versionId);
				statement.setInt(2, i);
				statement.setString(3, data.items[i]);
				statement.setArray(4, reals(statement, factors.items()[i]));
				statement.setDouble(5, data.popularity[i]);
			});
			this.jdbc.batchUpdate("""
					insert into recommender.model_user (version_id, workspace_id, profile_id, factors, purchased)
					values (?, ?, ?, ?, ?)""", users, BATCH, (statement, u) -> {
				statement.setObject(1, versionId);
				statement.setString(2, workspace);
				statement.setObject(3, uuid(data.users[u]));
				statement.setArray(4, reals(statement, factors.users()[u]));
				statement.setArray(5, statement.getConnection().createArrayOf("text", data.purchasedIds(u)));
			});
			List<Row> products = catalogue.stream().filter((row) -> row.getString(0).length() <= 255).toList();
			this.jdbc.batchUpdate("""
					insert into recommender.item (workspace_id, item_id, name, category, brand, price)
					values (?, ?, ?, ?, ?, ?)
					on conflict (workspace_id, item_id) do update
					   set name = coalesce(excluded.name, recommender.item.name),
					       category = coalesce(excluded.category, recommender.item.category),
					       brand = coalesce(excluded.brand, recommender.item.brand),
					       price = coalesce(excluded.price, recommender.item.price),
					       updated_at = now()""", products, BATCH, (statement, row) -> {
				statement.setString(1, workspace);
				statement.setString(2, row.getString(0));
				statement.setString(3, cut(row.getString(1), 500));
				statement.setString(4, cut(row.getString(2), 255));
				statement.setString(5, cut(row.getString(3), 255));
				statement.setBigDecimal(6, price(row.isNullAt(4) ? null : row.getDouble(4)));
			});
			return new Written(users.size(), items.size(), products.size());
		});
		logger.info("Workspace {}: model version {} written as candidate ({} profiles, {} items, {} catalogue items{})",
				workspace, versionId, written.users(), written.items(), written.catalogue(),
				(skipped > 0) ? ", " + skipped + " profile ids that are not UUIDs skipped" : "");
		return written;
	}

	private static Array reals(PreparedStatement statement, float[] vector) throws java.sql.SQLException {
		Float[] boxed = new Float[vector.length];
		for (int f = 0; f < vector.length; f++) {
			boxed[f] = vector[f];
		}
		return statement.getConnection().createArrayOf("real", boxed);
	}

	static UUID uuid(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String cut(String value, int length) {
		return (value == null || value.length() <= length) ? value : value.substring(0, length);
	}

	/** A price numeric(18, 4) can hold, else none. */
	static BigDecimal price(Double value) {
		if (value == null || !Double.isFinite(value) || Math.abs(value) >= 1e14) {
			return null;
		}
		return BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_UP);
	}

}
