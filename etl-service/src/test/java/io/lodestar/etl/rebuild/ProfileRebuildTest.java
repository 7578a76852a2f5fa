package io.lodestar.etl.rebuild;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
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
 * The rebuild's transformations on small DataFrames: counts and first/last seen, counts
 * by type and name, sessions (a gap of exactly the timeout continues one, events out of
 * order), purchases valued as streaming values them (numeric strings, a value that is not
 * a number counts the order at zero), products' lines per category and brand, the
 * earliest campaign touch, and identify traits numbered in the order they were sent.
 */
class ProfileRebuildTest {

	private static final StructType LAKE = new StructType().add("event_id", DataTypes.StringType)
		.add("profile_id", DataTypes.StringType)
		.add("type", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("received_at", DataTypes.TimestampType)
		.add("properties", DataTypes.StringType)
		.add("context", DataTypes.StringType)
		.add("traits", DataTypes.StringType);

	private static SparkSession spark;

	private final List<Row> rows = new ArrayList<>();

	private int ids;

	@BeforeAll
	static void start() {
		spark = LocalSpark.start("rebuild-test");
	}

	@AfterAll
	static void stop() {
		spark.stop();
	}

	@Test
	void countsSessionsPurchasesLinesTouchesAndTraits() {
		// ada: three sessions, sent out of order; 10:00 → 10:30 is exactly the timeout
		event("ada", "track", "Product Viewed", "2026-03-01T10:30:00Z", null, null, null);
		event("ada", "track", "Product Viewed", "2026-03-01T10:00:00Z", null,
				"{\"campaign\":{\"source\":\"newsletter\",\"medium\":\"email\",\"name\":\"March\"}}", null);
		event("ada", "page", null, "2026-03-01T11:01:00Z", "{\"url\":\"https://shop.example/?utm_source=google\"}",
				null, null);
		event("ada", "page", null, "2026-02-27T08:00:00Z",
				"{\"url\":\"https://shop.example/?utm_source=facebook&utm_medium=paid_social\"}", null, null);
		event("ada", "identify", null, "2026-03-02T09:00:00Z", null, null, "{\"plan\":\"pro\"}");
		event("ada", "identify", null, "2026-02-27T07:00:00Z", null, null, "{\"plan\":\"free\"}");
		event("ada", "identify", null, "2026-03-03T07:00:00Z", null, null, "\"not an object\"");
		event("ada", "track", "Order Completed", "2026-03-02T12:00:00Z",
				"{\"revenue\":\"19.99\",\"products\":[{\"category\":\"Kitchen\",\"brand\":\"Acme\",\"price\":5,"
						+ "\"quantity\":2},{\"category\":\"Garden\",\"price\":\"9.99\"}]}",
				null, null);
		event("ada", "track", "Order Completed", "2026-03-04T12:00:00Z",
				"{\"revenue\":\"lots\",\"products\":[{\"category\":\"Kitchen\",\"price\":1}]}", null, null);
		// bob: one identify, no session
		event("bob", "identify", null, "2026-03-01T00:00:00Z", null, null, "{\"plan\":\"free\"}");
		Dataset<Row> events = spark.createDataFrame(this.rows, LAKE);
		Traits traits = Traits.defaults();

		Map<String, Row> profiles = by(ProfileRebuild.profiles(events), "profile_id");
		assertThat(profiles.get("ada").<Long>getAs("events")).isEqualTo(9L);
		assertThat(profiles.get("ada").<Timestamp>getAs("first_at").toInstant())
			.isEqualTo(Instant.parse("2026-02-27T07:00:00Z"));
		assertThat(profiles.get("ada").<Timestamp>getAs("last_at").toInstant())
			.isEqualTo(Instant.parse("2026-03-04T12:00:00Z"));
		assertThat(profiles.get("bob").<Long>getAs("events")).isEqualTo(1L);

		Map<String, Row> counts = by(ProfileRebuild.eventCounts(events), "profile_id", "event_type", "event_name");
		assertThat(counts.get("ada/track/Product Viewed").<Long>getAs("event_count")).isEqualTo(2L);
		assertThat(counts.get("ada/track/Order Completed").<Long>getAs("event_count")).isEqualTo(2L);
		assertThat(counts.get("ada/page/").<Long>getAs("event_count")).isEqualTo(2L);
		assertThat(counts.get("ada/identify/").<Long>getAs("event_count")).isEqualTo(3L);
		assertThat(counts).hasSize(5);

		Dataset<Row> contributions = ProfileRebuild.contributions(events, traits);
		Map<String, Row> computed = by(ProfileRebuild.computed(contributions, 1800), "profile_id");
		Row ada = computed.get("ada");
		// Feb 27 08:00; Mar 1 10:00 + 10:30 (exactly 30 min: one) then 11:01; Mar 2
		// 12:00;
		// Mar 4 12:00
		assertThat(ada.<Long>getAs("sessions")).isEqualTo(5L);
		assertThat(ada.<Long>getAs("orders")).isEqualTo(2L);
		assertThat(ada.<BigDecimal>getAs("revenue")).isEqualByComparingTo("19.99");
		assertThat(ada.<Timestamp>getAs("first_purchase_at").toInstant())
			.isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
		assertThat(ada.<Timestamp>getAs("last_purchase_at").toInstant())
			.isEqualTo(Instant.parse("2026-03-04T12:00:00Z"));
		assertThat(ada.<String>getAs("acquisition_source")).as("the earliest touch").isEqualTo("facebook");
		assertThat(ada.<String>getAs("acquisition_medium")).isEqualTo("paid_social");
		assertThat(ada.<String>getAs("acquisition_channel")).isEqualTo("Paid Social");
		assertThat(ada.<Timestamp>getAs("acquired_at").toInstant()).isEqualTo(Instant.parse("2026-02-27T08:00:00Z"));
		assertThat(computed).as("bob has neither sessions, purchases nor touches").doesNotContainKey("bob");

		Map<String, Row> affinities = by(ProfileRebuild.affinities(ProfileRebuild.lines(events, traits)), "profile_id",
				"kind", "value");
		assertThat(affinities.get("ada/category/Kitchen").<BigDecimal>getAs("quantity")).isEqualByComparingTo("3");
		assertThat(affinities.get("ada/category/Kitchen").<BigDecimal>getAs("revenue")).isEqualByComparingTo("11");
		assertThat(affinities.get("ada/category/Kitchen").<Timestamp>getAs("last_at").toInstant())
			.isEqualTo(Instant.parse("2026-03-04T12:00:00Z"));
		assertThat(affinities.get("ada/category/Garden").<BigDecimal>getAs("revenue")).isEqualByComparingTo("9.99");
		assertThat(affinities.get("ada/brand/Acme").<BigDecimal>getAs("quantity")).isEqualByComparingTo("2");
		assertThat(affinities).hasSize(3);

		List<Row> identifies = ProfileRebuild.identifyTraits(contributions)
			.where("profile_id = 'ada'")
			.orderBy("seq")
			.collectAsList();
		assertThat(identifies).extracting((row) -> row.<String>getAs("traits"))
			.as("objects only, in the order sent")
			.containsExactly("{\"plan\":\"free\"}", "{\"plan\":\"pro\"}");
		assertThat(identifies).extracting((row) -> row.<Long>getAs("seq")).containsExactly(1L, 2L);
	}

	private void event(String profile, String type, String name, String at, String properties, String context,
			String traits) {
		Timestamp time = Timestamp.from(Instant.parse(at));
		this.rows
			.add(RowFactory.create("e" + (++this.ids), profile, type, name, time, time, properties, context, traits));
	}

	private static Map<String, Row> by(Dataset<Row> rows, String... key) {
		Map<String, Row> map = new HashMap<>();
		for (Row row : rows.collectAsList()) {
			StringBuilder id = new StringBuilder();
			for (String column : key) {
				id.append((id.length() > 0) ? "/" : "").append(row.<Object>getAs(column));
			}
			map.put(id.toString(), row);
		}
		return map;
	}

}
