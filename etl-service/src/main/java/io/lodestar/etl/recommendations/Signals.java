package io.lodestar.etl.recommendations;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * From events to implicit-feedback signals, and from signals to one rating per (profile,
 * item) as of a reference time. Events are rows of {@link #EVENTS}; their
 * {@code properties} are the track event's JSON.
 * <ul>
 * <li>{@code Product Viewed} ({@code product_id}): view; {@code Product Added}: cart;
 * each line of {@code products[]} of a purchase event ({@code Order Completed}):
 * purchase, weighted {@code 1 + ln(quantity)}; lines with a quantity ≤ 0 are not
 * purchases.</li>
 * <li>Negative, and only this: an item of a recommendation impression
 * ({@code Product List
 * Viewed} with {@code list_id = "recommendations"} and {@code products[]}) that the
 * profile neither clicked ({@code Product Clicked}) nor bought within the window after
 * it. Decided only once the window has passed; an item never shown is no signal.</li>
 * </ul>
 * Ids are read tolerantly ({@code product_id}, {@code productId}, {@code sku}); numbers
 * may be JSON numbers or strings.
 */
final class Signals {

	/**
	 * Events: profile_id, name (the track event), occurred_at, properties (JSON text).
	 */
	static final StructType EVENTS = new StructType().add("profile_id", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("properties", DataTypes.StringType);

	static final String VIEW = "view";

	static final String CART = "cart";

	static final String PURCHASE = "purchase";

	static final String NEGATIVE = "negative";

	private static final StructType PRODUCT = new StructType().add("product_id", DataTypes.StringType)
		.add("productId", DataTypes.StringType)
		.add("sku", DataTypes.StringType)
		.add("quantity", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("category", DataTypes.StringType)
		.add("categoryCode", DataTypes.StringType)
		.add("brand", DataTypes.StringType)
		.add("price", DataTypes.StringType);

	private static final StructType PROPERTIES = PRODUCT.add("list_id", DataTypes.StringType)
		.add("recommendation_id", DataTypes.StringType)
		.add("products", DataTypes.createArrayType(PRODUCT));

	private Signals() {
	}

	/**
	 * The signals of the events: profile_id, item_id, kind, strength (≥ 0, before decay),
	 * occurred_at, decided_at (a negative is decided when its window has passed).
	 * @param events rows of {@link #EVENTS}
	 * @param weights the signals' weights
	 * @param purchaseEvents the purchase events' names
	 * @param impressionListId the list id of recommendation impressions
	 * @param negativeWindow the window after an impression
	 * @return the signals
	 */
	static Dataset<Row> extract(Dataset<Row> events, RecommendationProperties.Weights weights,
			List<String> purchaseEvents, String impressionListId, Duration negativeWindow) {
		Dataset<Row> parsed = events.where(col("profile_id").isNotNull().and(col("occurred_at").isNotNull()))
			.select(col("profile_id"), col("name"), col("occurred_at"),
					from_json(col("properties"), PROPERTIES).as("p"));
		Dataset<Row> views = parsed.where(col("name").equalTo("Product Viewed"))
			.select(col("profile_id"), item(col("p")), lit(VIEW).as("kind"), lit(weights.view()).as("strength"),
					col("occurred_at"));
		Dataset<Row> carts = parsed.where(col("name").equalTo("Product Added"))
			.select(col("profile_id"), item(col("p")), lit(CART).as("kind"), lit(weights.cart()).as("strength"),
					col("occurred_at"));
		Dataset<Row> lines = purchaseLines(parsed, purchaseEvents);
		Dataset<Row> purchases = lines.select(col("profile_id"), col("item_id"), lit(PURCHASE).as("kind"),
				lit(weights.purchase()).multiply(lit(1.0).plus(log(col("quantity")))).as("strength"),
				col("occurred_at"));
		Dataset<Row> positives = views.unionByName(carts)
			.unionByName(purchases)
			.where(col("item_id").isNotNull())
			.withColumn("decided_at", col("occurred_at"));

		Dataset<Row> impressions = parsed
			.where(col("name").equalTo("Product List Viewed").and(col("p.list_id").equalTo(impressionListId)))
			.select(col("profile_id"), col("occurred_at"), col("p.recommendation_id").as("recommendation_id"),
					explode(col("p.products")).as("line"))
			.select(col("profile_id"), item(col("line")), col("recommendation_id"), col("occurred_at"))
			.where(col("item_id").isNotNull())
			.dropDuplicates("profile_id", "item_id", "recommendation_id", "occurred_at");
		Dataset<Row> responses = parsed.where(col("name").equalTo("Product Clicked"))
			.select(col("profile_id"), item(col("p")), col("occurred_at"))
			.unionByName(lines.select(col("profile_id"), col("item_id"), col("occurred_at")))
			.where(col("item_id").isNotNull())
			.toDF("r_profile_id", "r_item_id", "r_occurred_at");
		long windowSeconds = negativeWindow.toSeconds();
		Column window = expr("make_dt_interval(0, 0, 0, " + windowSeconds + ")");
		Column responded = col("r_profile_id").equalTo(col("profile_id"))
			.and(col("r_item_id").equalTo(col("item_id")))
			.and(col("r_occurred_at").geq(col("occurred_at")))
			.and(col("r_occurred_at").leq(col("occurred_at").plus(window)));
		Dataset<Row> negatives = impressions.join(responses, responded, "left_anti")
			.select(col("profile_id"), col("item_id"), lit(NEGATIVE).as("kind"), lit(weights.negative()).as("strength"),
					col("occurred_at"), col("occurred_at").plus(window).as("decided_at"));
		return positives.unionByName(negatives);
	}

	/**
	 * Purchase lines: profile_id, item_id, quantity (≥ 1), occurred_at, and the line's
	 * catalogue fields.
	 */
	static Dataset<Row> purchaseLines(Dataset<Row> parsed, List<String> purchaseEvents) {
		return parsed.where(col("name").isin(purchaseEvents.toArray()))
			.select(col("profile_id"), col("occurred_at"), explode(col("p.products")).as("line"))
			.withColumn("raw_quantity", col("line.quantity").cast("double"))
			.where(col("raw_quantity").isNull().or(col("raw_quantity").gt(0)))
			.select(col("profile_id"), item(col("line")),
					greatest(coalesce(col("raw_quantity"), lit(1.0)), lit(1.0)).as("quantity"), col("occurred_at"))
			.where(col("item_id").isNotNull());
	}

	private static Column item(Column product) {
		Column id = trim(
				coalesce(product.getField("product_id"), product.getField("productId"), product.getField("sku")));
		// recommender-service's item ids are at most 255 characters
		return when(id.notEqual("").and(length(id).leq(255)), id).as("item_id");
	}

	/**
	 * The latest name, category, brand and price of every item seen in product
	 * properties: item_id, name, category, brand, price.
	 */
	static Dataset<Row> catalogue(Dataset<Row> events) {
		Dataset<Row> parsed = events.select(col("occurred_at"), from_json(col("properties"), PROPERTIES).as("p"));
		Dataset<Row> single = products(parsed.select(col("occurred_at"), col("p").as("product")));
		Dataset<Row> listed = products(parsed.select(col("occurred_at"), explode(col("p.products")).as("product")));
		return single.unionByName(listed)
			.where(col("item_id").isNotNull())
			.groupBy("item_id")
			.agg(latest("name"), latest("category"), latest("brand"), latest("price"));
	}

	private static Dataset<Row> products(Dataset<Row> rows) {
		return rows.select(item(col("product")), col("product.name").as("name"),
				coalesce(col("product.category"), col("product.categoryCode")).as("category"),
				col("product.brand").as("brand"), col("product.price").cast("double").as("price"), col("occurred_at"));
	}

	private static Column latest(String field) {
		return max_by(col(field), when(col(field).isNotNull(), col("occurred_at"))).as(field);
	}

	/**
	 * One rating per (profile, item) as of the reference time: the decayed positive
	 * signals before it minus the decayed negatives decided by it. Columns: profile_id,
	 * item_id, rating, positive (the positive part), purchased (bought before the
	 * reference).
	 * @param signals rows of {@link #extract}
	 * @param reference the end of the training data (exclusive)
	 * @param halfLife the decay's half-life (zero: none)
	 * @return the ratings
	 */
	static Dataset<Row> ratings(Dataset<Row> signals, Timestamp reference, Duration halfLife) {
		Column ref = lit(reference);
		Column age = col("occurred_at").cast("double").multiply(-1).plus(ref.cast("double"));
		Column decay = (halfLife.isZero()) ? lit(1.0) : pow(lit(0.5), age.divide(halfLife.toSeconds()));
		Column value = col("strength").multiply(decay);
		return signals.where(col("occurred_at").lt(ref).and(col("decided_at").leq(ref)))
			.withColumn("value", when(col("kind").equalTo(NEGATIVE), value.multiply(-1)).otherwise(value))
			.groupBy("profile_id", "item_id")
			.agg(sum("value").as("rating"),
					sum(when(col("kind").notEqual(NEGATIVE), col("value")).otherwise(0.0)).as("positive"),
					max(col("kind").equalTo(PURCHASE)).as("purchased"));
	}

}
