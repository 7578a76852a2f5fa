package io.lodestar.etl.recommendations;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quality on the real UCI Online Retail set (purchases only, the last 30 days as the test
 * period), through the same path as the job: invoices become {@code Order Completed}
 * events with their lines as {@code products}, then signals, ratings, ALS, the baselines
 * and the metrics. The goal: NDCG@10 of ALS at least 1.3 × the popularity baseline's and
 * at least item-kNN's, from the same run.
 */
class RecommendationQualityTest {

	/** Non-product stock codes: postage, manual, fees, discounts, samples, vouchers. */
	static final List<String> NOT_PRODUCTS = List.of("POST", "M", "BANK CHARGES", "AMAZONFEE", "DOT", "D", "C2", "CRUK",
			"PADS", "S", "B");

	private static SparkSession spark;

	@BeforeAll
	static void startSpark() {
		spark = SparkSession.builder()
			.master("local[2]")
			.appName("recommendation-quality-test")
			.config("spark.ui.enabled", "false")
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.sql.shuffle.partitions", "4")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
	}

	@AfterAll
	static void stopSpark() {
		spark.stop();
	}

	/** The cleaned purchases as Order Completed events, one per invoice. */
	static Dataset<Row> onlineRetailOrders(SparkSession spark) {
		Dataset<Row> lines = spark.read().option("header", "true").csv("../data/sample/online_retail.csv.gz");
		return lines
			.where(col("customer_id").isNotNull()
				.and(col("invoice_no").startsWith("C").unary_$bang())
				.and(upper(col("stock_code")).isin(NOT_PRODUCTS.toArray()).unary_$bang())
				.and(col("stock_code").startsWith("gift_").unary_$bang())
				.and(col("unit_price").cast("double").gt(0))
				.and(col("quantity").cast("double").gt(0)))
			.groupBy(col("invoice_no"), col("customer_id").as("profile_id"))
			.agg(min(to_timestamp(col("invoice_date"))).as("occurred_at"),
					to_json(struct(collect_list(
							struct(col("stock_code").as("product_id"), col("quantity").cast("double").as("quantity"),
									col("description").as("name"), col("unit_price").cast("double").as("price")))
						.as("products"))).as("properties"))
			.select(col("profile_id"), lit("Order Completed").as("name"), col("occurred_at"), col("properties"));
	}

	static RecommendationTrainer.Settings settings(int rank, double regParam, double alpha, int maxIter,
			Duration halfLife) {
		return new RecommendationTrainer.Settings(new RecommendationProperties.Weights(1, 3, 5, 1), halfLife,
				Duration.ofDays(7), Duration.ofDays(30), 10, new AlsFit.Params(rank, regParam, alpha, maxIter, 42),
				false, List.of(), List.of(), List.of(), List.of("Order Completed"), "recommendations", 100, 20000);
	}

	@Test
	void alsBeatsPopularityByAThirdAndItemKnnOnOnlineRetail() {
		Dataset<Row> events = onlineRetailOrders(spark).cache();
		long orders = events.count();
		RecommendationTrainer.Settings settings = settings(32, 0.1, 5, 15, Duration.ofDays(90));

		long t0 = System.nanoTime();
		RecommendationTrainer.Trained trained = RecommendationTrainer.train(spark, events, settings, null,
				(fraction, step) -> {
				});
		double seconds = (System.nanoTime() - t0) / 1e9;

		RecommendationTrainer.Evaluation evaluation = trained.evaluation();
		System.out.printf(
				"Online Retail: %d orders, %d customers x %d items, %d interactions; cut-off %s; "
						+ "training (evaluation + refit) %.1f s on %s%n  %s%n",
				orders, trained.data().users.length, trained.data().items.length, trained.data().interactions,
				evaluation.cutoff(), seconds, spark.sparkContext().master(), evaluation.metrics());
		assertThat(((Number) evaluation.metrics().get("testUsers")).intValue()).isGreaterThan(1000);
		assertThat(trained.data().users.length).isBetween(4300, 4400);
		assertThat(evaluation.ndcg("als")).isGreaterThanOrEqualTo(1.3 * evaluation.ndcg("popularity"));
		assertThat(evaluation.ndcg("als")).isGreaterThanOrEqualTo(evaluation.ndcg("itemKnn"));
	}

}
