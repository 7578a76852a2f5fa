package io.lodestar.etl.marts;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import io.lodestar.etl.traits.Traits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The marts' transformations on small DataFrames: purchase and line reading (numeric
 * strings, missing quantity, currencies as sent, every rejection), per-customer days with
 * sessions across midnight and the range's start, sales by product, category and brand,
 * kiosk zones, and last-touch attribution with the look-back window and the channel
 * mapping.
 */
class MartsTest {

	private static final StructType EVENTS = new StructType().add("event_id", DataTypes.StringType)
		.add("profile_id", DataTypes.StringType)
		.add("type", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("properties", DataTypes.StringType);

	private static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");

	private static SparkSession spark;

	private final List<Row> rows = new ArrayList<>();

	private int ids;

	@BeforeAll
	static void start() {
		spark = LocalSpark.start("marts-test");
	}

	@AfterAll
	static void stop() {
		spark.stop();
	}

	private String event(String profile, String type, String name, String at, String properties) {
		String id = "e" + (++this.ids);
		this.rows.add(RowFactory.create(id, profile, type, name, Timestamp.from(Instant.parse(at)), properties));
		return id;
	}

	private Dataset<Row> events() {
		return spark.createDataFrame(this.rows, EVENTS);
	}

	private static Map<String, Row> by(Dataset<Row> rows, String... key) {
		Map<String, Row> map = new HashMap<>();
		for (Row row : rows.collectAsList()) {
			StringBuilder k = new StringBuilder();
			for (String column : key) {
				k.append(k.isEmpty() ? "" : "|").append((Object) row.getAs(column));
			}
			map.put(k.toString(), row);
		}
		return map;
	}

	private static BigDecimal amount(Row row, String column) {
		return ((BigDecimal) row.getAs(column)).stripTrailingZeros();
	}

	@Test
	void purchasesAreReadAsComputedTraitsReadThem() {
		String numericStrings = event("p1", "track", "Order Completed", "2026-03-01T10:00:00Z",
				"{\"revenue\":\"30.50\",\"currency\":\"EUR\",\"products\":[{\"product_id\":\"A\",\"price\":\"10.25\","
						+ "\"quantity\":\"2\",\"category\":\"Kitchen\",\"brand\":\"Acme\",\"name\":\"Pan\"},"
						+ "{\"sku\":\"B\",\"price\":10}]}");
		String totalOnly = event("p1", "track", "Order Completed", "2026-03-01T11:00:00Z",
				"{\"revenue\":\"n/a\",\"total\":12,\"currency\":\"USD\"}");
		String bad = event("p2", "track", "Order Completed", "2026-03-01T12:00:00Z",
				"{\"revenue\":\"12,50\",\"products\":[{\"price\":5},{\"product_id\":\"C\",\"price\":\"five\"},"
						+ "{\"product_id\":\"D\",\"price\":1,\"quantity\":0},{\"product_id\":\"E\",\"price\":1,"
						+ "\"quantity\":\"two\"},{\"product_id\":\"F\"},{\"product_id\":\"G\",\"price\":1e12},7]}");
		event("p2", "track", "Product Viewed", "2026-03-01T12:00:00Z", "{\"product_id\":\"A\",\"price\":1}");
		event("p3", "track", "Order Completed", "2026-03-01T13:00:00Z", "{\"value\":1e13}");

		Map<String, Row> parsed = by(Marts.purchases(events(), Traits.defaults()), "event_id", "line");

		assertThat(parsed).hasSize(13);
		Row order = parsed.get(numericStrings + "|-1");
		assertThat(amount(order, "revenue")).isEqualByComparingTo("30.5");
		assertThat((String) order.getAs("problem")).isNull();
		Row pan = parsed.get(numericStrings + "|0");
		assertThat((String) pan.getAs("product_id")).isEqualTo("A");
		assertThat(amount(pan, "quantity")).isEqualByComparingTo("2");
		assertThat(amount(pan, "revenue")).isEqualByComparingTo("20.5");
		assertThat((String) pan.getAs("category")).isEqualTo("Kitchen");
		// the sku names the product; missing quantity = 1
		Row second = parsed.get(numericStrings + "|1");
		assertThat((String) second.getAs("product_id")).isEqualTo("B");
		assertThat(amount(second, "quantity")).isEqualByComparingTo("1");
		assertThat(amount(second, "revenue")).isEqualByComparingTo("10");
		// an unusable revenue falls back to the next property, as in computed traits
		assertThat(amount(parsed.get(totalOnly + "|-1"), "revenue")).isEqualByComparingTo("12");
		assertThat((String) parsed.get(totalOnly + "|-1").getAs("problem")).isNull();
		Row badOrder = parsed.get(bad + "|-1");
		assertThat(amount(badOrder, "revenue")).isZero();
		assertThat((String) badOrder.getAs("problem")).isEqualTo("revenue_not_a_number");
		assertThat((String) badOrder.getAs("sent")).isEqualTo("12,50");
		assertThat(List.of(0, 1, 2, 3, 4, 5, 6)
			.stream()
			.map((line) -> (String) parsed.get(bad + "|" + line).getAs("problem")))
			.containsExactly("missing_product_id", "price_not_a_number", "quantity_not_positive",
					"quantity_not_a_number", "missing_price", "amount_implausible", "line_not_an_object");
		assertThat((String) parsed.get("e5|-1").getAs("problem")).isEqualTo("revenue_implausible");

		Map<String, Row> rejected = by(Marts.purchaseRejected(Marts.purchases(events(), Traits.defaults())), "event_id",
				"line");
		assertThat(rejected).hasSize(9);
		assertThat((String) rejected.get(bad + "|-1").getAs("mart")).isEqualTo("customer");
		assertThat((String) rejected.get(bad + "|1").getAs("mart")).isEqualTo("sales");
		assertThat((String) rejected.get(bad + "|1").getAs("value")).isEqualTo("five");
		assertThat(((java.sql.Date) rejected.get(bad + "|1").getAs("day")).toLocalDate())
			.isEqualTo(LocalDate.of(2026, 3, 1));
	}

	@Test
	void customerDaysCountEventsSessionsOrdersRevenueAndUnits() {
		// the night before the range: its session runs into the range and is not counted
		// again
		event("ada", "page", null, "2026-02-28T23:50:00Z", "{}");
		event("ada", "page", null, "2026-03-01T00:10:00Z", "{}");
		event("ada", "identify", null, "2026-03-01T00:11:00Z", "{}");
		event("ada", "track", "Order Completed", "2026-03-01T00:15:00Z",
				"{\"revenue\":20,\"currency\":\"EUR\",\"products\":[{\"product_id\":\"A\",\"price\":10,\"quantity\":2}]}");
		// 30 minutes exactly is still the same session; more is a new one
		event("ada", "track", "Product Viewed", "2026-03-01T00:45:00Z", "{}");
		event("ada", "screen", null, "2026-03-01T01:15:01Z", "{}");
		// across midnight: the session started on day 1, day 2's event is no new session
		event("ada", "track", "Order Completed", "2026-03-01T23:55:00Z",
				"{\"revenue\":\"5.5\",\"currency\":\"USD\",\"products\":[{\"product_id\":\"B\",\"price\":5.5}]}");
		event("ada", "track", "Product Viewed", "2026-03-02T00:05:00Z", "{}");
		event("bob", "track", "Order Completed", "2026-03-02T09:00:00Z",
				"{\"revenue\":\"oops\",\"products\":[{\"product_id\":\"A\",\"price\":1,\"quantity\":\"3\"},{\"price\":9}]}");
		event(null, "track", "Product Viewed", "2026-03-02T09:00:00Z", "{}");
		Timestamp from = Timestamp.from(DAY1);
		Dataset<Row> all = events();
		Dataset<Row> range = all.where(all.col("occurred_at").geq(from));
		Dataset<Row> purchases = Marts.purchases(range, Traits.defaults());

		Map<String, Row> days = by(Marts.customerDays(all, from, Duration.ofMinutes(30), purchases), "profile_id",
				"day");

		assertThat(days).hasSize(3);
		Row ada1 = days.get("ada|2026-03-01");
		assertThat((long) ada1.getAs("events")).isEqualTo(6);
		assertThat((long) ada1.getAs("pages")).isEqualTo(1);
		assertThat((long) ada1.getAs("tracks")).isEqualTo(3);
		assertThat((long) ada1.getAs("screens")).isEqualTo(1);
		assertThat((long) ada1.getAs("identifies")).isEqualTo(1);
		assertThat((long) ada1.getAs("sessions")).isEqualTo(2);
		assertThat((long) ada1.getAs("orders")).isEqualTo(2);
		// currencies as sent: 20 EUR + 5.5 USD
		assertThat(amount(ada1, "revenue")).isEqualByComparingTo("25.5");
		assertThat(amount(ada1, "units")).isEqualByComparingTo("3");
		assertThat(((Timestamp) ada1.getAs("first_event_at")).toInstant())
			.isEqualTo(Instant.parse("2026-03-01T00:10:00Z"));
		Row ada2 = days.get("ada|2026-03-02");
		assertThat((long) ada2.getAs("sessions")).isZero();
		assertThat((long) ada2.getAs("orders")).isZero();
		assertThat(amount(ada2, "revenue")).isZero();
		Row bob = days.get("bob|2026-03-02");
		assertThat((long) bob.getAs("orders")).isEqualTo(1);
		assertThat(amount(bob, "revenue")).isZero();
		assertThat(amount(bob, "units")).isEqualByComparingTo("3");
		assertThat((long) bob.getAs("sessions")).isEqualTo(1);
		// the event without a profile is rejected, not counted
		List<Row> rejected = Marts.profileRejected(range).collectAsList();
		assertThat(rejected).hasSize(1);
		assertThat(rejected.get(0).<String>getAs("reason")).isEqualTo("missing_profile_id");
	}

	@Test
	void salesByProductCategoryAndBrand() {
		String o1 = "{\"revenue\":40,\"products\":[{\"product_id\":\"A\",\"name\":\"Pan\",\"price\":10,\"quantity\":2,"
				+ "\"category\":\"Kitchen\",\"brand\":\"Acme\"},{\"product_id\":\"B\",\"price\":\"20\","
				+ "\"category\":\"Garden\"}]}";
		event("ada", "track", "Order Completed", "2026-03-01T10:00:00Z", o1);
		event("bob", "track", "Order Completed", "2026-03-01T11:00:00Z",
				"{\"products\":[{\"product_id\":\"A\",\"name\":\"Pan\",\"price\":9.5,\"category\":\"Kitchen\","
						+ "\"brand\":\"Acme\"},{\"product_id\":\"A\",\"price\":9.5,\"brand\":\"Acme\"},"
						+ "{\"product_id\":\"X\",\"price\":\"bad\",\"category\":\"Kitchen\"}]}");
		event("ada", "track", "Order Completed", "2026-03-02T10:00:00Z",
				"{\"products\":[{\"product_id\":\"A\",\"price\":10,\"quantity\":1.5,\"category\":\"Kitchen\"}]}");
		event("ada", "track", "Checkout Started", "2026-03-01T10:00:00Z", o1);
		Dataset<Row> purchases = Marts.purchases(events(), Traits.defaults());

		Map<String, Row> products = by(Marts.sales(purchases, "product"), "day", "product_id");
		assertThat(products).hasSize(3);
		Row a = products.get("2026-03-01|A");
		assertThat((long) a.getAs("orders")).isEqualTo(2);
		assertThat(amount(a, "units")).isEqualByComparingTo("4");
		assertThat(amount(a, "revenue")).isEqualByComparingTo("39");
		assertThat((long) a.getAs("customers")).isEqualTo(2);
		assertThat(a.<String>getAs("name")).isEqualTo("Pan");
		assertThat(amount(products.get("2026-03-01|B"), "revenue")).isEqualByComparingTo("20");
		assertThat(amount(products.get("2026-03-02|A"), "revenue")).isEqualByComparingTo("15");

		Map<String, Row> categories = by(Marts.sales(purchases, "category"), "day", "category");
		assertThat(categories.keySet()).containsExactlyInAnyOrder("2026-03-01|Kitchen", "2026-03-01|Garden",
				"2026-03-01|(none)", "2026-03-02|Kitchen");
		assertThat(amount(categories.get("2026-03-01|Kitchen"), "revenue")).isEqualByComparingTo("29.5");
		assertThat(amount(categories.get("2026-03-01|(none)"), "units")).isEqualByComparingTo("1");
		Map<String, Row> brands = by(Marts.sales(purchases, "brand"), "day", "brand");
		assertThat(amount(brands.get("2026-03-01|Acme"), "revenue")).isEqualByComparingTo("39");
		assertThat((long) brands.get("2026-03-01|Acme").getAs("orders")).isEqualTo(2);
		assertThat(amount(brands.get("2026-03-01|(none)"), "revenue")).isEqualByComparingTo("20");
		assertThat(Marts.sales(purchases, "brand").columns()).doesNotContain("name");
	}

	@Test
	void kioskZonesCountImpressionsClicksVisitsAndDwell() {
		MartsProperties.Kiosk kiosk = new MartsProperties.Kiosk("Promotion Viewed", "Promotion Clicked", "Zone Dwell");
		event("ada", "track", "Promotion Viewed", "2026-03-01T10:00:00Z", "{\"zone\":\"entrance\",\"screen\":\"s1\"}");
		event("bob", "track", "Promotion Viewed", "2026-03-01T10:01:00Z", "{\"zone\":\"entrance\",\"screen\":\"s1\"}");
		event("ada", "track", "Promotion Clicked", "2026-03-01T10:02:00Z", "{\"zone\":\"entrance\",\"screen\":\"s1\"}");
		event("ada", "track", "Zone Dwell", "2026-03-01T10:05:00Z",
				"{\"zone\":\"entrance\",\"screen\":\"s1\",\"dwell_seconds\":42.5}");
		event("bob", "track", "Zone Dwell", "2026-03-01T10:06:00Z",
				"{\"zone\":\"entrance\",\"screen\":\"s1\",\"dwell_seconds\":\"17\"}");
		String bad = event("bob", "track", "Zone Dwell", "2026-03-01T10:07:00Z",
				"{\"zone\":\"entrance\",\"screen\":\"s1\",\"dwell_seconds\":\"long\"}");
		event("ada", "track", "Promotion Viewed", "2026-03-02T10:00:00Z", "{\"screen\":\"s2\"}");
		event("ada", "page", "Promotion Viewed", "2026-03-02T10:00:00Z", "{\"screen\":\"s2\"}");

		Map<String, Row> zones = by(Marts.kiosk(events(), kiosk), "day", "zone", "screen");

		assertThat(zones).hasSize(2);
		Row entrance = zones.get("2026-03-01|entrance|s1");
		assertThat((long) entrance.getAs("impressions")).isEqualTo(2);
		assertThat((long) entrance.getAs("clicks")).isEqualTo(1);
		assertThat((long) entrance.getAs("visits")).isEqualTo(3);
		assertThat(amount(entrance, "dwell_seconds")).isEqualByComparingTo("59.5");
		assertThat((long) entrance.getAs("visitors")).isEqualTo(2);
		Row noZone = zones.get("2026-03-02|(none)|s2");
		assertThat((long) noZone.getAs("impressions")).isEqualTo(1);
		assertThat(amount(noZone, "dwell_seconds")).isZero();
		List<Row> rejected = Marts.kioskRejected(events(), kiosk).collectAsList();
		assertThat(rejected).hasSize(1);
		assertThat(rejected.get(0).<String>getAs("event_id")).isEqualTo(bad);
		assertThat(rejected.get(0).<String>getAs("reason")).isEqualTo("dwell_seconds_not_a_number");
		assertThat(rejected.get(0).<String>getAs("value")).isEqualTo("long");
	}

	@Test
	void campaignsAttributePurchasesToTheLastTouchWithinTheLookBack() {
		// ada: a Google touch, then a Meta touch; her purchase goes to Meta (the last)
		event("ada", "track", "Order Completed", "2026-03-10T12:00:00Z", "{\"revenue\":100}");
		// bob: touched 40 days before (outside 30) and 5 days before with only a gclid
		event("bob", "track", "Order Completed", "2026-03-10T13:00:00Z", "{\"revenue\":\"50\"}");
		// carl: no touch — attributed to nothing
		event("carl", "track", "Order Completed", "2026-03-10T14:00:00Z", "{\"revenue\":7}");
		// dora: touched after her purchase only
		event("dora", "track", "Order Completed", "2026-03-10T15:00:00Z", "{\"revenue\":9}");
		List<Row> touches = List.of(touch("ada", "2026-03-01T00:00:00Z", "google", "Spring", null),
				touch("ada", "2026-03-09T00:00:00Z", "Instagram", "Spring", null),
				touch("bob", "2026-01-29T00:00:00Z", "bing", "old", null),
				touch("bob", "2026-03-05T00:00:00Z", null, "Spring", "gclid"),
				touch("dora", "2026-03-10T15:00:01Z", "google", "Spring", null));
		List<Row> spend = List.of(
				RowFactory.create(java.sql.Date.valueOf("2026-03-10"), "google-ads", "spring", "Spring", "EUR",
						new BigDecimal("75.0000"), 1000L, 40L, new BigDecimal("3.0000"), new BigDecimal("120.0000")),
				RowFactory.create(java.sql.Date.valueOf("2026-03-10"), "meta", "autumn", "Autumn", "EUR",
						new BigDecimal("10.0000"), 100L, 4L, BigDecimal.ZERO, BigDecimal.ZERO));
		Dataset<Row> purchases = Marts.purchases(events(), Traits.defaults());
		// bob's and ada's first purchases ever are these
		Dataset<Row> firsts = spark.createDataFrame(
				List.of(RowFactory.create("ada", Timestamp.from(Instant.parse("2026-03-10T12:00:00Z"))),
						RowFactory.create("bob", Timestamp.from(Instant.parse("2026-03-10T13:00:00Z")))),
				new StructType().add("profile_id", DataTypes.StringType).add("at", DataTypes.TimestampType));

		Map<String, Row> marts = by(Marts.campaigns(purchases, firsts, spark.createDataFrame(touches, Marts.TOUCHES),
				spark.createDataFrame(spend, Marts.SPEND), 30), "channel", "campaign");

		assertThat(marts.keySet()).containsExactlyInAnyOrder("meta|spring", "google-ads|spring", "meta|autumn");
		Row meta = marts.get("meta|spring");
		assertThat((long) meta.getAs("orders")).isEqualTo(1);
		assertThat(amount(meta, "revenue")).isEqualByComparingTo("100");
		assertThat((long) meta.getAs("customers_acquired")).isEqualTo(1);
		assertThat((Object) meta.getAs("spend")).isNull();
		assertThat(meta.<String>getAs("campaign_name")).isEqualTo("Spring");
		Row google = marts.get("google-ads|spring");
		assertThat((long) google.getAs("orders")).isEqualTo(1);
		assertThat(amount(google, "revenue")).isEqualByComparingTo("50");
		assertThat(amount(google, "spend")).isEqualByComparingTo("75");
		assertThat((long) google.getAs("impressions")).isEqualTo(1000);
		assertThat(amount(google, "platform_conversions")).isEqualByComparingTo("3");
		assertThat((long) google.getAs("customers_acquired")).isEqualTo(1);
		Row autumn = marts.get("meta|autumn");
		assertThat((long) autumn.getAs("orders")).isZero();
		assertThat(amount(autumn, "revenue")).isZero();

		// a look-back of 3 days: bob's gclid touch is too old, ada's Instagram touch
		// still
		// counts
		Map<String, Row> short3 = by(Marts.campaigns(purchases, firsts, spark.createDataFrame(touches, Marts.TOUCHES),
				spark.createDataFrame(List.of(), Marts.SPEND), 3), "channel", "campaign");
		assertThat(short3.keySet()).containsExactly("meta|spring");
	}

	private static Row touch(String profile, String at, String source, String campaign, String clickIdKind) {
		return RowFactory.create(profile, Timestamp.from(Instant.parse(at)), source, campaign, clickIdKind);
	}

	@Test
	void touchChannelsMapSourcesAndClickIdsToAdPlatforms() {
		List<Row> touches = List.of(touch("a", "2026-03-01T00:00:00Z", "adwords", null, null),
				touch("a", "2026-03-01T00:00:00Z", null, null, "wbraid"),
				touch("a", "2026-03-01T00:00:00Z", "FB", null, null),
				touch("a", "2026-03-01T00:00:00Z", null, null, "fbclid"),
				touch("a", "2026-03-01T00:00:00Z", "microsoft", null, null),
				touch("a", "2026-03-01T00:00:00Z", null, null, "ttclid"),
				touch("a", "2026-03-01T00:00:00Z", "Newsletter", null, null),
				touch("a", "2026-03-01T00:00:00Z", null, null, null),
				touch("a", "2026-03-01T00:00:00Z", "google", null, "fbclid"));
		Dataset<Row> t = spark.createDataFrame(touches, Marts.TOUCHES);
		List<String> channels = t.select(Marts.touchChannel(t.col("source"), t.col("click_id_kind")))
			.collectAsList()
			.stream()
			.map((row) -> row.getString(0))
			.toList();
		assertThat(channels).containsExactly("google-ads", "google-ads", "meta", "meta", "microsoft-ads", "tiktok",
				"newsletter", "(none)", "google-ads");
	}

}
