package io.lodestar.etl.identity;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.min;

/**
 * The identity graph recomputed from events in Spark: the identifiers of every event
 * ({@link EventIdentifiers}, as in streaming), the connected components of the graph
 * whose nodes are identifiers and whose edges join the identifiers of one event
 * (min-label propagation), then each component's events replayed through
 * {@link IdentityGraph} — the streaming job's rules — in the order streaming applied them
 * ({@code etl.processed_event}'s chunk order), else the order they were received in.
 * Components never share an identifier, so each is resolved on its own, in parallel.
 */
public final class IdentityRecompute {

	/** An event's identifiers: {@code event_id}, the order keys and graph nodes. */
	public static final StructType EVENT_NODES = new StructType().add("event_id", DataTypes.StringType, false)
		.add("applied_seq", DataTypes.LongType)
		.add("applied_index", DataTypes.IntegerType)
		.add("received_at", DataTypes.TimestampType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("nodes", DataTypes.createArrayType(DataTypes.StringType, false), false);

	/**
	 * The result rows: {@code record} {@code event} (key = event id) or {@code identity}
	 * (key = node), the cluster it belongs to ({@code component/profile}) and whether the
	 * identity is shared.
	 */
	public static final StructType RESULT = new StructType().add("record", DataTypes.StringType, false)
		.add("key", DataTypes.StringType, false)
		.add("cluster", DataTypes.StringType, false)
		.add("shared", DataTypes.BooleanType, false);

	private IdentityRecompute() {
	}

	/**
	 * The identifiers of lake events ({@code event_id, type, user_id, anonymous_id,
	 * received_at, occurred_at, properties, context, traits}); events without one are
	 * left out.
	 * @param events lake rows
	 * @param rules the rules (their junk values)
	 * @return rows of {@link #EVENT_NODES}
	 */
	public static Dataset<Row> identifiers(Dataset<Row> events, IdentityRules rules) {
		return identifiers(events, null, rules);
	}

	/**
	 * The identifiers of lake events with the order streaming applied them in.
	 * @param events lake rows
	 * @param appliedOrder {@code order_event_id, applied_seq, applied_index} (the chunk's
	 * sequence and the event's place in it), or null
	 * @param rules the rules (their junk values)
	 * @return rows of {@link #EVENT_NODES}
	 */
	public static Dataset<Row> identifiers(Dataset<Row> events, Dataset<Row> appliedOrder, IdentityRules rules) {
		Dataset<Row> ordered = (appliedOrder != null)
				? events.join(appliedOrder, events.col("event_id").equalTo(appliedOrder.col("order_event_id")), "left")
				: events.withColumn("applied_seq", org.apache.spark.sql.functions.lit(null).cast(DataTypes.LongType))
					.withColumn("applied_index", org.apache.spark.sql.functions.lit(null).cast(DataTypes.IntegerType));
		return ordered
			.select("event_id", "type", "user_id", "anonymous_id", "applied_seq", "applied_index", "received_at",
					"occurred_at", "properties", "context", "traits")
			.flatMap((FlatMapFunction<Row, Row>) (row) -> {
				String previousId = null;
				if ("alias".equals(row.getAs("type"))) {
					com.fasterxml.jackson.databind.JsonNode properties = EventIdentifiers.tree(row.getAs("properties"));
					previousId = (properties != null && properties.hasNonNull("previousId"))
							? properties.get("previousId").asText() : null;
				}
				List<Identifier> identifiers = EventIdentifiers.of(rules, row.getAs("user_id"),
						row.getAs("anonymous_id"), previousId, EventIdentifiers.tree(row.getAs("traits")),
						EventIdentifiers.tree(row.getAs("context")));
				if (identifiers.isEmpty()) {
					return java.util.Collections.emptyIterator();
				}
				List<String> nodes = identifiers.stream().map(Identifier::node).toList();
				return List.of(RowFactory.create(row.getAs("event_id"), row.getAs("applied_seq"),
						row.getAs("applied_index"), row.getAs("received_at"), row.getAs("occurred_at"),
						scala.jdk.javaapi.CollectionConverters.asScala(nodes).toSeq()))
					.iterator();
			}, Encoders.row(EVENT_NODES));
	}

	/**
	 * Connected components of the identifier graph by min-label propagation: every node
	 * takes the smallest label among itself and its neighbours until nothing changes.
	 * @param eventNodes rows of {@link #EVENT_NODES}
	 * @param maxIterations a bound (the graph's diameter is what it takes)
	 * @return {@code node, component} (the component is its smallest node), and the
	 * iterations it took
	 */
	public static Components components(Dataset<Row> eventNodes, int maxIterations) {
		// a star per event: its first identifier joined to each of the others, both ways
		Dataset<Row> pairs = eventNodes.select(element_at(col("nodes"), 1).as("hub"), explode(col("nodes")).as("node"));
		Dataset<Row> edges = pairs.select(col("hub").as("src"), col("node").as("dst"))
			.union(pairs.select(col("node").as("src"), col("hub").as("dst")))
			.distinct()
			.localCheckpoint();
		Dataset<Row> labels = edges.select(col("src").as("node")).distinct().withColumn("label", col("node"));
		labels = labels.localCheckpoint();
		int iterations = 0;
		while (true) {
			iterations++;
			Dataset<Row> next = edges.join(labels, edges.col("dst").equalTo(labels.col("node")))
				.select(edges.col("src").as("node"), labels.col("label"))
				.groupBy("node")
				.agg(min("label").as("label"))
				.localCheckpoint();
			long changed = next.as("n")
				.join(labels.as("o"), col("n.node").equalTo(col("o.node")))
				.where(col("n.label").notEqual(col("o.label")))
				.count();
			labels = next;
			if (changed == 0) {
				break;
			}
			if (iterations >= maxIterations) {
				throw new IllegalStateException(
						"the identity graph did not settle in " + maxIterations + " label propagation rounds");
			}
		}
		return new Components(labels.withColumnRenamed("label", "component"), iterations);
	}

	/**
	 * Replays each component's events through the rules.
	 * @param eventNodes rows of {@link #EVENT_NODES}
	 * @param components the components
	 * @param rules the rules
	 * @return rows of {@link #RESULT}
	 */
	public static Dataset<Row> resolve(Dataset<Row> eventNodes, Dataset<Row> components, IdentityRules rules) {
		Dataset<Row> events = eventNodes
			.join(components, element_at(eventNodes.col("nodes"), 1).equalTo(components.col("node")))
			.select(col("component"), col("event_id"), col("applied_seq"), col("applied_index"), col("received_at"),
					col("occurred_at"), col("nodes"));
		return events.groupByKey((MapFunction<Row, String>) (row) -> row.getAs("component"), Encoders.STRING())
			.flatMapGroups(
					(FlatMapGroupsFunction<String, Row, Row>) (component, rows) -> replay(component, rows, rules),
					Encoders.row(RESULT));
	}

	private static Iterator<Row> replay(String component, Iterator<Row> rows, IdentityRules rules) {
		List<Row> events = new ArrayList<>();
		rows.forEachRemaining(events::add);
		// the order streaming applied them in (events applied before it was recorded came
		// first), then the order they were received in
		events.sort(Comparator
			.comparing((Row row) -> (Long) row.getAs("applied_seq"), Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing((Row row) -> (Integer) row.getAs("applied_index"),
					Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing((Row row) -> (Timestamp) row.getAs("received_at"),
					Comparator.nullsLast(Comparator.naturalOrder()))
			.thenComparing((Row row) -> (Timestamp) row.getAs("occurred_at"),
					Comparator.nullsLast(Comparator.naturalOrder()))
			.thenComparing((Row row) -> (String) row.getAs("event_id")));
		IdentityGraph graph = new IdentityGraph(rules);
		Map<String, UUID> landed = new HashMap<>();
		for (Row row : events) {
			List<Identifier> identifiers = new ArrayList<>();
			for (String node : row.<String>getList(row.fieldIndex("nodes"))) {
				identifiers.add(Identifier.ofNode(node));
			}
			landed.put(row.getAs("event_id"), graph.apply(identifiers));
		}
		List<Row> out = new ArrayList<>(landed.size() + events.size());
		landed.forEach((eventId, profile) -> out
			.add(RowFactory.create("event", eventId, component + "/" + graph.current(profile), false)));
		graph.owners()
			.forEach((identifier, owner) -> out.add(RowFactory.create("identity", identifier.node(),
					component + "/" + owner.profileId(), owner.shared())));
		return out.iterator();
	}

	/**
	 * @param labels {@code node, component}
	 * @param iterations label propagation rounds it took
	 */
	public record Components(Dataset<Row> labels, int iterations) {
	}

}
