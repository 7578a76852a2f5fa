package io.lodestar.etl.marts;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.lodestar.etl.traits.Traits;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * The marts' transformations, pure functions of DataFrames (tested on small ones). Events
 * are rows with {@code event_id, profile_id, type, name, occurred_at, properties} (the
 * lake's columns, profile ids already following merges); days are UTC (the session time
 * zone). Public for the batch benchmark, which times the sales mart against DuckDB.
 */
public final class Marts {

	/** Touches: profile_id, occurred_at, source, campaign, click_id_kind. */
	static final StructType TOUCHES = new StructType().add("profile_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("source", DataTypes.StringType)
		.add("campaign", DataTypes.StringType)
		.add("click_id_kind", DataTypes.StringType);

	/**
	 * Ad spend already grouped per day, channel and campaign key: day, channel, campaign,
	 * campaign_name, currency, spend, impressions, clicks, platform_conversions,
	 * platform_value.
	 */
	static final StructType SPEND = new StructType().add("day", DataTypes.DateType)
		.add("channel", DataTypes.StringType)
		.add("campaign", DataTypes.StringType)
		.add("campaign_name", DataTypes.StringType)
		.add("currency", DataTypes.StringType)
		.add("spend", PurchaseLines.AMOUNT)
		.add("impressions", DataTypes.LongType)
		.add("clicks", DataTypes.LongType)
		.add("platform_conversions", PurchaseLines.AMOUNT)
		.add("platform_value", PurchaseLines.AMOUNT);

	/** Rejected: event_id, day, line, mart, reason, value. */
	static final List<String> REJECTED = List.of("event_id", "day", "line", "mart", "reason", "value");

	/**
	 * The same number test as profile-service's {@code profile.number_or_null}: an
	 * optional sign, digits with an optional point (or a point and digits), an optional
	 * exponent.
	 */
	static final String NUMBER = "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$";

	private Marts() {
	}

	static Column day(String timestamp) {
		return to_date(col(timestamp));
	}

	/**
	 * The purchase events among {@code events}, read into order and line rows.
	 * @return rows of {@link PurchaseLines#PARSED}
	 */
	public static Dataset<Row> purchases(Dataset<Row> events, Traits traits) {
		return events.where(col("type").equalTo("track").and(col("name").isin(traits.purchaseEvents().toArray())))
			.select("event_id", "profile_id", "occurred_at", "properties")
			.flatMap(new PurchaseLines(traits), Encoders.row(PurchaseLines.PARSED));
	}

	/**
	 * Per customer and day: events by type, sessions started, orders, revenue and units.
	 * A session starts at a track, page or screen event more than {@code timeout} after
	 * the profile's previous one (or at its first), as the computed trait counts them.
	 * @param events the profiles' events from {@code from − timeout} on, so that a
	 * session running into the range is not counted again
	 * @param from the range's first instant
	 * @param purchases the range's purchases ({@link #purchases})
	 * @return profile_id, day, events, tracks, pages, screens, identifies, sessions,
	 * orders, revenue, units, first_event_at, last_event_at
	 */
	static Dataset<Row> customerDays(Dataset<Row> events, Timestamp from, Duration timeout, Dataset<Row> purchases) {
		Column session = col("type").isin("track", "page", "screen");
		WindowSpec timeline = Window.partitionBy("profile_id", "session").orderBy("occurred_at", "event_id");
		Column micros = expr("unix_micros(occurred_at)");
		Column previous = lag(micros, 1).over(timeline);
		Dataset<Row> counts = events.where(col("profile_id").isNotNull())
			.withColumn("session", session)
			.withColumn("starts",
					col("session").and(previous.isNull().or(micros.minus(previous).gt(timeout.toNanos() / 1000))))
			.where(col("occurred_at").geq(lit(from)))
			.groupBy(col("profile_id"), day("occurred_at").as("day"))
			.agg(count(lit(1)).as("events"), count(when(col("type").equalTo("track"), 1)).as("tracks"),
					count(when(col("type").equalTo("page"), 1)).as("pages"),
					count(when(col("type").equalTo("screen"), 1)).as("screens"),
					count(when(col("type").equalTo("identify"), 1)).as("identifies"),
					count(when(col("starts"), 1)).as("sessions"), min("occurred_at").as("first_event_at"),
					max("occurred_at").as("last_event_at"));
		Dataset<Row> orders = purchases.where(col("profile_id").isNotNull())
			.groupBy(col("profile_id"), day("occurred_at").as("day"))
			.agg(count(when(col("line").equalTo(-1), 1)).as("orders"),
					sum(when(col("line").equalTo(-1), col("revenue"))).as("revenue"),
					sum(when(col("line").geq(0).and(col("problem").isNull()), col("quantity"))).as("units"));
		return counts.join(orders, new String[] { "profile_id", "day" }, "left")
			.select(col("profile_id"), col("day"), col("events"), col("tracks"), col("pages"), col("screens"),
					col("identifies"), col("sessions"), coalesce(col("orders"), lit(0L)).as("orders"),
					coalesce(col("revenue"), lit(0).cast(PurchaseLines.AMOUNT)).as("revenue"),
					coalesce(col("units"), lit(0).cast(PurchaseLines.AMOUNT)).as("units"), col("first_event_at"),
					col("last_event_at"));
	}

	/**
	 * Sales per day and product, category or brand from the valid lines.
	 * @param purchases rows of {@link PurchaseLines#PARSED}
	 * @param by product, category or brand
	 * @return day, key (product_id, category or brand; "(none)" for a line without a
	 * category or brand), [name,] orders, units, revenue, customers
	 */
	public static Dataset<Row> sales(Dataset<Row> purchases, String by) {
		Dataset<Row> lines = purchases.where(col("line").geq(0).and(col("problem").isNull()));
		Column key = switch (by) {
			case "product" -> col("product_id").as("product_id");
			case "category" -> coalesce(col("category"), lit("(none)")).as("category");
			case "brand" -> coalesce(col("brand"), lit("(none)")).as("brand");
			default -> throw new IllegalArgumentException("sales by product, category or brand, not " + by);
		};
		List<Column> measures = List.of(countDistinct(col("event_id")).as("orders"), sum("quantity").as("units"),
				sum("revenue").as("revenue"), countDistinct(col("profile_id")).as("customers"));
		Dataset<Row> grouped = lines.groupBy(day("occurred_at").as("day"), key)
			.agg(("product".equals(by) ? max("name") : lit(null).cast("string")).as("name"),
					measures.toArray(new Column[0]));
		return "product".equals(by) ? grouped : grouped.drop("name");
	}

	/**
	 * Kiosk screens per day, zone and screen, counted as profile-service's kiosk report
	 * counts them.
	 * @param events the range's events
	 * @return day, zone, screen, impressions, clicks, visits, dwell_seconds, visitors
	 */
	static Dataset<Row> kiosk(Dataset<Row> events, MartsProperties.Kiosk kiosk) {
		Column dwellSent = get_json_object(col("properties"), "$.dwell_seconds");
		Column dwell = when(dwellSent.rlike(NUMBER),
				expr("try_cast(trim(get_json_object(properties, " + "'$.dwell_seconds')) as decimal(24, 4))"));
		return events
			.where(col("type").equalTo("track")
				.and(col("name").isin(kiosk.impressionEvent(), kiosk.clickEvent(), kiosk.dwellEvent())))
			.groupBy(day("occurred_at").as("day"),
					coalesce(get_json_object(col("properties"), "$.zone"), lit("(none)")).as("zone"),
					coalesce(get_json_object(col("properties"), "$.screen"), lit("(none)")).as("screen"))
			.agg(count(when(col("name").equalTo(kiosk.impressionEvent()), 1)).as("impressions"),
					count(when(col("name").equalTo(kiosk.clickEvent()), 1)).as("clicks"),
					count(when(col("name").equalTo(kiosk.dwellEvent()), 1)).as("visits"),
					coalesce(sum(when(col("name").equalTo(kiosk.dwellEvent()), dwell)),
							lit(0).cast(PurchaseLines.AMOUNT))
						.as("dwell_seconds"),
					countDistinct(col("profile_id")).as("visitors"));
	}

	/**
	 * Kiosk visits whose dwell time is not a number: still visits, their time not
	 * counted.
	 * @return rows of {@link #REJECTED}
	 */
	static Dataset<Row> kioskRejected(Dataset<Row> events, MartsProperties.Kiosk kiosk) {
		Column dwellSent = get_json_object(col("properties"), "$.dwell_seconds");
		return events.where(col("type").equalTo("track").and(col("name").equalTo(kiosk.dwellEvent())))
			.where(dwellSent.isNull().or(dwellSent.rlike(NUMBER).unary_$bang()))
			.select(col("event_id"), day("occurred_at").as("day"), lit(-1).as("line"), lit("kiosk").as("mart"),
					when(dwellSent.isNull(), lit("missing_dwell_seconds")).otherwise(lit("dwell_seconds_not_a_number"))
						.as("reason"),
					expr("substring(get_json_object(properties, '$.dwell_seconds'), 1, 200)").as("value"));
	}

	/**
	 * The ad channel a touch's utm source (or, without one, its click id) stands for:
	 * profile-service's {@code CampaignService.TOUCH_CHANNEL}.
	 */
	static Column touchChannel(Column source, Column clickIdKind) {
		Column s = lower(source);
		return when(s.isin("google", "adwords", "google-ads", "googleads")
			.or(source.isNull().and(clickIdKind.isin("gclid", "gbraid", "wbraid"))), lit("google-ads"))
			.when(s.isin("facebook", "fb", "instagram", "ig", "meta")
				.or(source.isNull().and(clickIdKind.equalTo("fbclid"))), lit("meta"))
			.when(s.isin("bing", "microsoft", "microsoft-ads").or(source.isNull().and(clickIdKind.equalTo("msclkid"))),
					lit("microsoft-ads"))
			.when(s.equalTo("tiktok").or(source.isNull().and(clickIdKind.equalTo("ttclid"))), lit("tiktok"))
			.otherwise(coalesce(s, lit("(none)")));
	}

	/**
	 * Each dated row goes to the profile's latest touch at or before it and less than
	 * {@code lookbackDays} days earlier; rows without such a touch go nowhere.
	 * @param rows profile_id, at, and whatever else
	 * @param key a column of {@code rows} unique per row
	 * @param touches rows of {@link #TOUCHES}
	 * @return the rows with channel, campaign (the lower-cased utm_campaign, "(none)")
	 * and campaign_name
	 */
	static Dataset<Row> lastTouch(Dataset<Row> rows, String key, Dataset<Row> touches, int lookbackDays) {
		Dataset<Row> t = touches.select(col("profile_id").as("t_profile"), col("occurred_at").as("t_at"),
				touchChannel(col("source"), col("click_id_kind")).as("channel"),
				lower(coalesce(col("campaign"), lit("(none)"))).as("campaign"), col("campaign").as("campaign_name"));
		Column window = col("profile_id").equalTo(col("t_profile"))
			.and(col("t_at").leq(col("at")))
			.and(col("t_at").gt(expr("at - make_dt_interval(" + lookbackDays + ")")));
		WindowSpec latest = Window.partitionBy(key).orderBy(col("t_at").desc(), col("channel"), col("campaign"));
		return rows.join(t, window, "inner")
			.withColumn("n", row_number().over(latest))
			.where(col("n").equalTo(1))
			.drop("n", "t_profile", "t_at");
	}

	/**
	 * Campaign marts: spend next to last-touch orders and revenue, and the customers the
	 * campaign acquired (first purchase ever on that day).
	 * @param purchases the range's purchases ({@link #purchases})
	 * @param firsts profile_id, at: each buyer's first purchase ever, when it falls in
	 * the range
	 * @param touches touches from {@code lookbackDays} before the range to its end
	 * @param spend rows of {@link #SPEND}
	 * @return day, channel, campaign, campaign_name, currency, spend, impressions,
	 * clicks, platform_conversions, platform_value, orders, revenue, customers_acquired
	 */
	static Dataset<Row> campaigns(Dataset<Row> purchases, Dataset<Row> firsts, Dataset<Row> touches, Dataset<Row> spend,
			int lookbackDays) {
		Dataset<Row> orders = lastTouch(
				purchases.where(col("line").equalTo(-1).and(col("profile_id").isNotNull()))
					.select(col("event_id"), col("profile_id"), col("occurred_at").as("at"), col("revenue")),
				"event_id", touches, lookbackDays)
			.groupBy(day("at").as("day"), col("channel"), col("campaign"))
			.agg(max("campaign_name").as("o_name"), count(lit(1)).as("orders"), sum("revenue").as("revenue"));
		Dataset<Row> acquired = lastTouch(firsts, "profile_id", touches, lookbackDays)
			.groupBy(day("at").as("day"), col("channel"), col("campaign"))
			.agg(max("campaign_name").as("a_name"), count(lit(1)).as("customers_acquired"));
		String[] key = { "day", "channel", "campaign" };
		return spend.join(orders, key, "full")
			.join(acquired, key, "full")
			.select(col("day"), col("channel"), col("campaign"),
					coalesce(col("campaign_name"), col("o_name"), col("a_name")).as("campaign_name"), col("currency"),
					col("spend"), col("impressions"), col("clicks"), col("platform_conversions"), col("platform_value"),
					coalesce(col("orders"), lit(0L)).as("orders"),
					coalesce(col("revenue"), lit(0).cast(PurchaseLines.AMOUNT)).as("revenue"),
					coalesce(col("customers_acquired"), lit(0L)).as("customers_acquired"));
	}

	/**
	 * What the marts could not use, from the purchases: orders with an unusable amount
	 * (still counted, revenue 0) and lines left out of the sales marts.
	 * @return rows of {@link #REJECTED}
	 */
	static Dataset<Row> purchaseRejected(Dataset<Row> purchases) {
		return purchases.where(col("problem").isNotNull())
			.select(col("event_id"), day("occurred_at").as("day"), col("line"),
					when(col("line").equalTo(-1), lit("customer")).otherwise(lit("sales")).as("mart"),
					col("problem").as("reason"), col("sent").as("value"));
	}

	/**
	 * Events without a profile, left out of the per-customer marts.
	 * @return rows of {@link #REJECTED}
	 */
	static Dataset<Row> profileRejected(Dataset<Row> events) {
		return events.where(col("profile_id").isNull())
			.select(col("event_id"), day("occurred_at").as("day"), lit(-1).as("line"), lit("customer").as("mart"),
					lit("missing_profile_id").as("reason"), lit(null).cast("string").as("value"));
	}

}
