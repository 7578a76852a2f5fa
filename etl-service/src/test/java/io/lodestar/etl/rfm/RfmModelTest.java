package io.lodestar.etl.rfm;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * RFM tiers on the real UCI Online Retail set (4,338 customers, Dec 2010 - Dec 2011): the
 * tiers found, their sizes, revenue shares and silhouette are printed (and recorded in
 * segment-service's README); the naming rules on planted centroids.
 */
class RfmModelTest {

	private static SparkSession spark;

	@BeforeAll
	static void startSpark() {
		spark = SparkSession.builder()
			.master("local[2]")
			.appName("rfm-test")
			.config("spark.ui.enabled", "false")
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.sql.shuffle.partitions", "2")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
	}

	@AfterAll
	static void stopSpark() {
		spark.stop();
	}

	@Test
	void onlineRetailCustomersFallIntoNamedValueTiers() {
		Dataset<Row> lines = spark.read().option("header", "true").csv("../data/sample/online_retail.csv.gz");
		Dataset<Row> purchases = lines
			.where(col("customer_id").isNotNull()
				.and(col("invoice_no").startsWith("C").unary_$bang())
				.and(col("quantity").cast("double").gt(0)))
			.groupBy(col("invoice_no"), col("customer_id").as("profile_id"))
			.agg(min(to_timestamp(col("invoice_date"))).as("occurred_at"),
					sum(col("quantity").cast("double").multiply(col("unit_price").cast("double"))).as("revenue"));

		RfmResult result = RfmModel.fit(purchases, 3, 6, 42);

		System.out.printf("Online Retail RFM: %d customers, k=%d, silhouette=%.3f, by k %s%n", result.customerCount(),
				result.k(), result.silhouette(), result.silhouettes());
		for (RfmResult.Tier tier : result.tiers()) {
			System.out.printf(
					"  %-20s customers=%5d (%.1f%%) revenue=%.1f%% R=%.2f F=%.2f M=%.2f recency=%.0fd "
							+ "frequency=%.1f monetary=%.0f%n",
					tier.name(), tier.customers(), 100.0 * tier.customers() / result.customerCount(),
					100 * tier.revenueShare(), tier.r(), tier.f(), tier.m(), tier.recencyDays(), tier.frequency(),
					tier.monetary());
		}
		assertThat(result.customerCount()).isBetween(4300L, 4400L);
		assertThat(result.k()).isBetween(3, 6);
		assertThat(result.silhouettes()).hasSize(4);
		assertThat(result.silhouette()).isGreaterThan(0.25);
		assertThat(result.tiers().stream().mapToLong(RfmResult.Tier::customers).sum())
			.isEqualTo(result.customerCount());
		assertThat(result.tiers().stream().mapToDouble(RfmResult.Tier::revenueShare).sum()).isCloseTo(1.0,
				within(1e-9));
		// the most valuable tier is recent, frequent and big-spending, and earns far more
		// than its share
		RfmResult.Tier top = result.tiers().get(0);
		assertThat(top.name()).isIn("Champions", "Loyal");
		assertThat(top.revenueShare()).isGreaterThan(2.0 * top.customers() / result.customerCount());
		assertThat(result.tiers()).extracting(RfmResult.Tier::name).doesNotHaveDuplicates();
		assertThat(result.customers().count()).isEqualTo(result.customerCount());
	}

	@Test
	void clustersAreNamedFromTheirMeanScores() {
		StructType schema = new StructType().add("cluster", DataTypes.IntegerType)
			.add("r", DataTypes.DoubleType)
			.add("f", DataTypes.DoubleType)
			.add("m", DataTypes.DoubleType);
		List<Row> stats = List.of(RowFactory.create(0, 4.5, 4.6, 4.4), RowFactory.create(1, 3.0, 4.0, 4.2),
				RowFactory.create(2, 1.5, 3.8, 3.5), RowFactory.create(3, 4.2, 1.5, 1.8),
				RowFactory.create(4, 1.2, 1.3, 1.4), RowFactory.create(5, 4.4, 4.0, 4.1));
		List<Row> rows = spark.createDataFrame(stats, schema).collectAsList();

		var names = RfmModel.names(rows);

		assertThat(names).containsEntry(0, "Champions")
			.containsEntry(1, "Loyal")
			.containsEntry(2, "At risk")
			.containsEntry(3, "New customers")
			.containsEntry(4, "Lost")
			.containsEntry(5, "Champions II");
	}

}
