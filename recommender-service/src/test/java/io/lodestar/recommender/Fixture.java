package io.lodestar.recommender;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes rows as their owners do: profiles, identities, merges and timeline events as the
 * pipeline writes them into profile-service's tables, and model versions with their
 * factors as etl-service's training job writes V2's contract tables.
 */
public final class Fixture {

	private final JdbcTemplate jdbc;

	private final String workspace;

	public Fixture(JdbcTemplate jdbc) {
		this(jdbc, "rec-" + UUID.randomUUID().toString().substring(0, 8));
	}

	public Fixture(JdbcTemplate jdbc, String workspace) {
		this.jdbc = jdbc;
		this.workspace = workspace;
	}

	public String workspace() {
		return this.workspace;
	}

	public UUID profile() {
		return profile(null);
	}

	public UUID profile(String userId) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, user_id, first_seen_at, last_seen_at)
				values (?, ?, ?, now(), now())""", this.workspace, id, userId);
		if (userId != null) {
			identity("user_id", userId, id);
		}
		return id;
	}

	public void identity(String kind, String storedValue, UUID profile) {
		this.jdbc.update(
				"""
						insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
						values (?, ?, ?, ?, now(), now())""",
				this.workspace, kind, storedValue, profile);
	}

	/** A profile that was merged into another: its row is gone, the merge recorded. */
	public UUID mergedInto(UUID survivor) {
		UUID merged = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, 'identify')""", this.workspace, merged, survivor);
		return merged;
	}

	/** As profile-service's erasure does: the merge history, then the profile. */
	public void erase(UUID profile) {
		this.jdbc.update("""
				delete from profile.profile_merge where workspace_id = ?
				   and (merged_profile_id = ? or into_profile_id = ?)""", this.workspace, profile, profile);
		this.jdbc.update("delete from profile.profile where workspace_id = ? and profile_id = ?", this.workspace,
				profile);
	}

	public void event(UUID profile, String name, Instant at, String properties) {
		this.jdbc.update("""
				insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name,
				                                   occurred_at, properties)
				values (?, ?, ?, 'track', ?, ?, cast(? as jsonb))""", this.workspace, UUID.randomUUID(), profile, name,
				Timestamp.from(at), properties);
	}

	/** An Order Completed with these products. */
	public void order(UUID profile, Instant at, String... items) {
		StringBuilder products = new StringBuilder();
		for (String item : items) {
			products.append((products.length() > 0) ? "," : "")
				.append("{\"product_id\":\"")
				.append(item)
				.append("\",\"quantity\":1}");
		}
		event(profile, "Order Completed", at,
				"{\"order_id\":\"o-" + UUID.randomUUID() + "\",\"products\":[" + products + "]}");
	}

	public void item(String itemId, String name, String category, String price) {
		this.jdbc.update("""
				insert into recommender.item (workspace_id, item_id, name, category, brand, price)
				values (?, ?, ?, ?, 'Acme', ?)
				on conflict (workspace_id, item_id) do update set name = excluded.name, category = excluded.category,
				       price = excluded.price, updated_at = now()""", this.workspace, itemId, name, category,
				(price != null) ? new BigDecimal(price) : null);
	}

	/**
	 * A candidate as the training job writes it.
	 * @param ndcg its ALS NDCG@10, or null for metrics without one
	 * @param trainedAt when
	 * @return the version id
	 */
	public UUID candidate(Double ndcg, Instant trainedAt) {
		UUID version = UUID.randomUUID();
		String als = (ndcg != null)
				? "{\"precision\":0.1,\"recall\":0.2,\"ndcg\":" + ndcg + ",\"map\":0.1,\"coverage\":0.5}"
				: "{\"precision\":0.1}";
		this.jdbc.update("""
				insert into recommender.model_version (version_id, workspace_id, trained_at, status, params, metrics,
				                                       cutoff, interactions, users, items, duration_ms)
				values (?, ?, ?, 'candidate', cast(? as jsonb), cast(? as jsonb), ?, 1000, 10, 10, 1234)""", version,
				this.workspace, Timestamp.from(trainedAt), "{\"rank\":3,\"regParam\":0.1,\"alpha\":10,\"seed\":42}",
				"{\"k\":10,\"testUsers\":50,\"als\":" + als
						+ ",\"popularity\":{\"ndcg\":0.05},\"itemKnn\":{\"ndcg\":0.07}}",
				Timestamp.from(trainedAt.minusSeconds(86400 * 30)));
		return version;
	}

	/** Item factors and popularity, in the order given (the item index). */
	public void items(UUID version, Map<String, float[]> factors, Map<String, Double> popularity) {
		int index = 0;
		for (Map.Entry<String, float[]> item : factors.entrySet()) {
			this.jdbc.update("""
					insert into recommender.model_item (version_id, item_index, item_id, factors, popularity)
					values (?, ?, ?, ?, ?)""", version, index++, item.getKey(), boxed(item.getValue()),
					popularity.getOrDefault(item.getKey(), 0.0));
		}
	}

	public void user(UUID version, UUID profile, float[] factors, List<String> purchased) {
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement("""
					insert into recommender.model_user (version_id, workspace_id, profile_id, factors, purchased)
					values (?, ?, ?, ?, ?)""");
			statement.setObject(1, version);
			statement.setString(2, this.workspace);
			statement.setObject(3, profile);
			statement.setArray(4, connection.createArrayOf("real", boxed(factors)));
			statement.setArray(5, connection.createArrayOf("text", purchased.toArray()));
			return statement;
		});
	}

	/**
	 * Serves a version as if it had been promoted (for tests that are not about
	 * promotion).
	 */
	public void serve(UUID version) {
		this.jdbc.update("update recommender.model_version set status = 'retired' where workspace_id = ?"
				+ " and status = 'serving'", this.workspace);
		this.jdbc.update(
				"update recommender.model_version set status = 'serving', decision = 'test' where version_id = ?",
				version);
		this.jdbc.update("insert into recommender.serving_history (workspace_id, version_id, started_by, reason)"
				+ " values (?, ?, 'promotion', 'test')", this.workspace, version);
	}

	private static Float[] boxed(float[] values) {
		Float[] boxed = new Float[values.length];
		for (int i = 0; i < values.length; i++) {
			boxed[i] = values[i];
		}
		return boxed;
	}

	public static float[] f(double... values) {
		float[] factors = new float[values.length];
		for (int i = 0; i < values.length; i++) {
			factors[i] = (float) values[i];
		}
		return factors;
	}

}
