package io.lodestar.etl.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.lodestar.etl.LocalSpark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch recompute on small DataFrames ({@code local[2]}): identifiers from lake rows,
 * connected components, and the rules replayed per component in the order events were
 * received — the same profiles as the in-memory graph that streaming's rules build.
 */
class IdentityRecomputeTest {

	private static final StructType LAKE = new StructType().add("event_id", DataTypes.StringType)
		.add("type", DataTypes.StringType)
		.add("user_id", DataTypes.StringType)
		.add("anonymous_id", DataTypes.StringType)
		.add("received_at", DataTypes.TimestampType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("properties", DataTypes.StringType)
		.add("context", DataTypes.StringType)
		.add("traits", DataTypes.StringType);

	private static SparkSession spark;

	private final List<Row> rows = new ArrayList<>();

	private int clock;

	@BeforeAll
	static void start() {
		spark = LocalSpark.start("identity-recompute-test");
	}

	@AfterAll
	static void stop() {
		spark.stop();
	}

	@Test
	void componentsJoinEveryIdentifierAnEventChainReaches() {
		event("e1", null, "a1", null, null);
		event("e2", "ada", "a1", "{\"email\":\"ada@lovelace.io\"}", null);
		event("e3", null, "a2", null, "{\"traits\":{\"email\":\"ada@lovelace.io\"}}");
		event("e4", null, "a3", null, null);
		event("e5", "undefined", "a4", null, null);

		Dataset<Row> nodes = IdentityRecompute.identifiers(lake(), IdentityRules.defaults());
		IdentityRecompute.Components components = IdentityRecompute.components(nodes, 20);

		Map<String, String> byNode = new HashMap<>();
		components.labels().collectAsList().forEach((row) -> byNode.put(row.getString(0), row.getString(1)));
		assertThat(byNode).hasSize(6);
		assertThat(byNode.get("anonymous_id:a2")).isEqualTo(byNode.get("anonymous_id:a1"))
			.isEqualTo(byNode.get("user_id:ada"))
			.isNotEqualTo(byNode.get("anonymous_id:a3"));
		assertThat(byNode).doesNotContainKey("user_id:undefined");
		assertThat(components.iterations()).isBetween(2, 20);
	}

	@Test
	void theRecomputeGivesTheProfilesTheStreamingRulesGiveInReceivedOrder() {
		// a shared tablet: Ada first, then Grace; anonymous browsing before and after
		event("t1", null, "tablet", null, "{\"device\":{\"id\":\"idfv-1\"}}");
		event("t2", "ada", "tablet", null, "{\"device\":{\"id\":\"idfv-1\"}}");
		event("t3", "grace", "tablet", null, "{\"device\":{\"id\":\"idfv-1\"}}");
		event("t4", null, "tablet", null, null);
		event("t5", null, "fresh-install", null, "{\"device\":{\"id\":\"idfv-1\"}}");
		// a guest checkout joined by email, an alias, and a stranger
		event("g1", null, "laptop", null, null);
		event("g2", "grace", null, "{\"email\":\"grace@navy.mil\"}", null);
		event("g3", null, "laptop", null, "{\"traits\":{\"email\":\"Grace@Navy.mil\"}}");
		alias("g4", "grace", "old-browser");
		event("g5", null, "old-browser", null, null);
		event("s1", null, "stranger", null, null);

		Map<String, String> clusters = recompute();

		IdentityGraph graph = new IdentityGraph(IdentityRules.defaults());
		Map<String, UUID> expected = new HashMap<>();
		for (Row row : this.rows) {
			expected.put(row.getString(0),
					graph.apply(EventIdentifiers.of(IdentityRules.defaults(), row.getString(2), row.getString(3),
							"alias".equals(row.getString(1)) ? "old-browser" : null,
							EventIdentifiers.tree(row.getString(8)), EventIdentifiers.tree(row.getString(7)))));
		}
		expected.replaceAll((event, profile) -> graph.current(profile));
		assertThat(samePartition(clusters, expected)).isTrue();
		assertThat(clusters.get("t2")).isEqualTo(clusters.get("t1")).isEqualTo(clusters.get("t4"));
		assertThat(clusters.get("t3")).isNotEqualTo(clusters.get("t2")).isEqualTo(clusters.get("g2"));
		assertThat(clusters.get("t5")).as("a shared device fills in nobody")
			.isNotIn(clusters.get("t2"), clusters.get("t3"));
		assertThat(clusters.get("g1")).isEqualTo(clusters.get("g3")).isEqualTo(clusters.get("g2"));
		assertThat(clusters.get("g5")).isEqualTo(clusters.get("g2"));
		assertThat(clusters.get("s1")).isNotIn(clusters.get("t2"), clusters.get("g2"), clusters.get("t5"));
	}

	@Test
	void theOrderIsTheOrderEventsWereReceivedIn() {
		// Grace's login on the tablet was received first: the tablet is hers
		eventAt("late", 10, "ada", "tablet");
		eventAt("early", 5, "grace", "tablet");
		eventAt("anon", 20, null, "tablet");

		Map<String, String> clusters = recompute();

		assertThat(clusters.get("anon")).isEqualTo(clusters.get("early")).isNotEqualTo(clusters.get("late"));
	}

	@Test
	void theOrderStreamingAppliedEventsInWinsOverTheOrderTheyWereReceivedIn() {
		eventAt("late", 10, "ada", "tablet");
		eventAt("early", 5, "grace", "tablet");
		eventAt("anon", 20, null, "tablet");
		// streaming applied Ada's login first (another partition's chunk committed first)
		Dataset<Row> order = spark.createDataFrame(
				List.of(RowFactory.create("late", 7L, 0), RowFactory.create("early", 8L, 3),
						RowFactory.create("anon", 8L, 4)),
				new StructType().add("order_event_id", DataTypes.StringType)
					.add("applied_seq", DataTypes.LongType)
					.add("applied_index", DataTypes.IntegerType));

		Map<String, String> clusters = recompute(order);

		assertThat(clusters.get("anon")).isEqualTo(clusters.get("late")).isNotEqualTo(clusters.get("early"));
	}

	private Map<String, String> recompute() {
		return recompute(null);
	}

	private Map<String, String> recompute(Dataset<Row> order) {
		Dataset<Row> nodes = IdentityRecompute.identifiers(lake(), order, IdentityRules.defaults());
		IdentityRecompute.Components components = IdentityRecompute.components(nodes, 20);
		Map<String, String> clusters = new HashMap<>();
		IdentityRecompute.resolve(nodes, components.labels(), IdentityRules.defaults())
			.where(col("record").equalTo("event"))
			.collectAsList()
			.forEach((row) -> clusters.put(row.getString(1), row.getString(2)));
		return clusters;
	}

	private static boolean samePartition(Map<String, String> a, Map<String, UUID> b) {
		for (String x : a.keySet()) {
			for (String y : a.keySet()) {
				if (a.get(x).equals(a.get(y)) != b.get(x).equals(b.get(y))) {
					return false;
				}
			}
		}
		return a.keySet().equals(b.keySet());
	}

	private Dataset<Row> lake() {
		return spark.createDataFrame(this.rows, LAKE);
	}

	private void event(String id, String user, String anon, String traits, String context) {
		Timestamp at = Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * this.clock++));
		this.rows.add(RowFactory.create(id, "track", user, anon, at, at, null, context, traits));
	}

	private void eventAt(String id, int minute, String user, String anon) {
		Timestamp at = Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * minute));
		this.rows.add(RowFactory.create(id, "track", user, anon, at, Timestamp.from(Instant.EPOCH), null, null, null));
	}

	private void alias(String id, String user, String previousId) {
		Timestamp at = Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * this.clock++));
		this.rows.add(RowFactory.create(id, "alias", user, null, at, at, "{\"previousId\":\"" + previousId + "\"}",
				null, null));
	}

}
