package io.lodestar.etl.rebuild;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.lodestar.etl.campaign.CampaignTouch;
import io.lodestar.etl.identity.EventIdentifiers;
import io.lodestar.etl.traits.Channel;
import io.lodestar.etl.traits.Traits;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * A profile's state recomputed from its lake events, as Spark transformations: what the
 * streaming job keeps incrementally, event by event ({@code ProfileWriter},
 * {@link Traits}), here over every event of the profile at once, with the same readings
 * of each event (purchase, revenue, products' lines, campaign touch) — so a profile
 * rebuilt from the lake equals the one streaming built from the same events.
 * <p>
 * Input: lake rows with {@code profile_id} the profile they belong to now (merges
 * followed). Order where it matters (latest and first traits, the earliest touch): the
 * time the event happened, then received, then its id.
 */
final class ProfileRebuild {

	/** The decimal type of amounts: as {@code numeric(18, 4)} stores them. */
	static final DataType AMOUNT = DataTypes.createDecimalType(38, 4);

	/** What one event contributes beyond counting it. */
	static final StructType CONTRIBUTION = new StructType().add("profile_id", DataTypes.StringType)
		.add("event_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("received_at", DataTypes.TimestampType)
		.add("session", DataTypes.BooleanType)
		.add("purchase", DataTypes.BooleanType)
		.add("revenue", AMOUNT)
		.add("touch_source", DataTypes.StringType)
		.add("touch_medium", DataTypes.StringType)
		.add("touch_campaign", DataTypes.StringType)
		.add("touch_channel", DataTypes.StringType)
		.add("traits", DataTypes.StringType);

	/** A purchase's products' lines per category and brand. */
	static final StructType LINE = new StructType().add("profile_id", DataTypes.StringType)
		.add("kind", DataTypes.StringType)
		.add("value", DataTypes.StringType)
		.add("quantity", DataTypes.createDecimalType(38, 6))
		.add("revenue", AMOUNT)
		.add("at", DataTypes.TimestampType);

	private static final Set<String> SESSION_TYPES = Set.of("track", "page", "screen");

	private ProfileRebuild() {
	}

	/**
	 * @param events lake rows on their current profiles
	 * @return {@code profile_id, events, first_at, last_at}
	 */
	static Dataset<Row> profiles(Dataset<Row> events) {
		return events.groupBy("profile_id")
			.agg(count(lit(1)).as("events"), min("occurred_at").as("first_at"), max("occurred_at").as("last_at"));
	}

	/**
	 * @param events lake rows on their current profiles
	 * @return {@code profile_id, event_type, event_name ('' but for track), event_count,
	 * first_at, last_at}
	 */
	static Dataset<Row> eventCounts(Dataset<Row> events) {
		return events
			.groupBy(col("profile_id"), col("type").as("event_type"), coalesce(col("name"), lit("")).as("event_name"))
			.agg(count(lit(1)).as("event_count"), min("occurred_at").as("first_at"), max("occurred_at").as("last_at"));
	}

	/**
	 * @param events lake rows on their current profiles
	 * @param traits the purchase events and revenue properties
	 * @return rows of {@link #CONTRIBUTION}, one per event
	 */
	static Dataset<Row> contributions(Dataset<Row> events, Traits traits) {
		return events.map((MapFunction<Row, Row>) (row) -> contribution(row, traits), Encoders.row(CONTRIBUTION));
	}

	/**
	 * @param events lake rows on their current profiles
	 * @param traits the purchase events
	 * @return rows of {@link #LINE}: each purchase's lines per category and brand
	 */
	static Dataset<Row> lines(Dataset<Row> events, Traits traits) {
		return events.where(col("type").equalTo("track").and(col("name").isin(traits.purchaseEvents().toArray())))
			.flatMap((FlatMapFunction<Row, Row>) ProfileRebuild::lines, Encoders.row(LINE));
	}

	/**
	 * Computed traits per profile that has sessions, purchases or a campaign touch, as
	 * {@code profile_computed}'s columns: sessions (track, page and screen events more
	 * than the timeout apart start one), orders, revenue, first and last purchase, and
	 * the earliest touch.
	 * @param contributions rows of {@link #CONTRIBUTION}
	 * @param sessionTimeoutSeconds the session timeout
	 * @return {@code profile_id, sessions, orders, revenue, first_purchase_at,
	 * last_purchase_at, acquisition_source, acquisition_medium, acquisition_campaign,
	 * acquisition_channel, acquired_at}
	 */
	static Dataset<Row> computed(Dataset<Row> contributions, long sessionTimeoutSeconds) {
		Column previous = lag("occurred_at", 1)
			.over(Window.partitionBy("profile_id").orderBy(col("occurred_at"), col("received_at"), col("event_id")));
		Dataset<Row> sessions = contributions.where(col("session"))
			.select(col("profile_id"),
					when(previous.isNull()
						.or(col("occurred_at").cast(DataTypes.DoubleType)
							.minus(previous.cast(DataTypes.DoubleType))
							.gt(sessionTimeoutSeconds)), 1)
						.otherwise(0)
						.as("starts"))
			.groupBy("profile_id")
			.agg(sum("starts").cast(DataTypes.LongType).as("sessions"));
		Column order = struct(col("occurred_at"), col("received_at"), col("event_id"));
		Dataset<Row> purchases = contributions.where(col("purchase").or(col("touch_source").isNotNull()))
			.groupBy("profile_id")
			.agg(sum(when(col("purchase"), 1).otherwise(0)).cast(DataTypes.LongType).as("orders"),
					sum(when(col("purchase"), col("revenue")).otherwise(lit(BigDecimal.ZERO))).cast(AMOUNT)
						.as("revenue"),
					min(when(col("purchase"), col("occurred_at"))).as("first_purchase_at"),
					max(when(col("purchase"), col("occurred_at"))).as("last_purchase_at"),
					min_by(when(col("touch_source").isNotNull(),
							struct(col("touch_source").as("source"), col("touch_medium").as("medium"),
									col("touch_campaign").as("campaign"), col("touch_channel").as("channel"),
									col("occurred_at").as("at"))),
							when(col("touch_source").isNotNull(), order))
						.as("touch"));
		return sessions.join(purchases, new String[] { "profile_id" }, "full")
			.select(col("profile_id"), coalesce(col("sessions"), lit(0L)).as("sessions"),
					coalesce(col("orders"), lit(0L)).as("orders"),
					coalesce(col("revenue"), lit(BigDecimal.ZERO).cast(AMOUNT)).as("revenue"), col("first_purchase_at"),
					col("last_purchase_at"), col("touch.source").as("acquisition_source"),
					col("touch.medium").as("acquisition_medium"), col("touch.campaign").as("acquisition_campaign"),
					col("touch.channel").as("acquisition_channel"), col("touch.at").as("acquired_at"));
	}

	/**
	 * @param lines rows of {@link #LINE}
	 * @return {@code profile_id, kind, value, quantity, revenue, last_at}
	 */
	static Dataset<Row> affinities(Dataset<Row> lines) {
		return lines.groupBy("profile_id", "kind", "value")
			.agg(sum("quantity").as("quantity"), sum("revenue").cast(AMOUNT).as("revenue"), max("at").as("last_at"));
	}

	/**
	 * @param contributions rows of {@link #CONTRIBUTION}
	 * @return {@code profile_id, seq, traits}: each identify's traits object, numbered in
	 * the order they fold (per profile)
	 */
	static Dataset<Row> identifyTraits(Dataset<Row> contributions) {
		return contributions.where(col("traits").isNotNull())
			.select(col("profile_id"), org.apache.spark.sql.functions.row_number()
				.over(Window.partitionBy("profile_id").orderBy(col("occurred_at"), col("received_at"), col("event_id")))
				.cast(DataTypes.LongType)
				.as("seq"), col("traits"));
	}

	private static Row contribution(Row row, Traits traits) {
		String type = row.getAs("type");
		String name = row.getAs("name");
		boolean purchase = traits.purchase(type, (name != null) ? name : "");
		// as streaming: a page event's properties carry its url and search; a purchase's
		// its value
		JsonNode properties = ("page".equals(type) || purchase) ? EventIdentifiers.tree(row.<String>getAs("properties"))
				: null;
		BigDecimal revenue = purchase ? traits.revenue(properties).setScale(4, RoundingMode.HALF_UP) : null;
		Optional<CampaignTouch> touch = CampaignTouch.of(EventIdentifiers.tree(row.<String>getAs("context")),
				properties);
		String identifyTraits = null;
		if ("identify".equals(type)) {
			String text = row.getAs("traits");
			identifyTraits = (text != null && text.trim().startsWith("{")) ? text : null;
		}
		return RowFactory.create(row.getAs("profile_id"), row.getAs("event_id"), row.getAs("occurred_at"),
				row.getAs("received_at"), SESSION_TYPES.contains(type), purchase, revenue,
				touch.map(CampaignTouch::source).orElse(null), touch.map(CampaignTouch::medium).orElse(null),
				touch.map(CampaignTouch::campaign).orElse(null),
				touch.map((t) -> Channel.of(t.source(), t.medium(), t.clickIdKind())).orElse(null), identifyTraits);
	}

	private static Iterator<Row> lines(Row row) {
		Map<String, BigDecimal[]> lines = Traits.productLines(EventIdentifiers.tree(row.<String>getAs("properties")));
		List<Row> out = new ArrayList<>(lines.size());
		Timestamp at = row.getAs("occurred_at");
		lines.forEach((key, sums) -> {
			int split = key.indexOf('\u0000');
			out.add(RowFactory.create(row.getAs("profile_id"), key.substring(0, split), key.substring(split + 1),
					sums[0].setScale(6, RoundingMode.HALF_UP), sums[1].setScale(4, RoundingMode.HALF_UP), at));
		});
		return out.iterator();
	}

}
