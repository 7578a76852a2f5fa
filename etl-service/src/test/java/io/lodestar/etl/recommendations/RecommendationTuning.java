package io.lodestar.etl.recommendations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.max;

/**
 * A developer's tool, not a test: evaluates parameter combinations on Online Retail and
 * prints NDCG@10 of ALS, popularity and item-kNN for each. Arguments:
 * {@code rank,regParam,alpha,maxIter,halfLifeDays[,view,cart,purchase]} … Run from
 * {@code etl-service/} with the test class path, e.g. through
 * {@code ./mvnw -pl etl-service exec:java} or an IDE.
 */
public final class RecommendationTuning {

	private RecommendationTuning() {
	}

	public static void main(String[] args) {
		SparkSession spark = SparkSession.builder()
			.master("local[2]")
			.appName("recommendation-tuning")
			.config("spark.ui.enabled", "false")
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.sql.shuffle.partitions", "4")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
		try {
			Dataset<Row> events = RecommendationQualityTest.onlineRetailOrders(spark).cache();
			for (String combination : args) {
				String[] p = combination.split(",");
				RecommendationProperties.Weights weights = (p.length >= 8)
						? new RecommendationProperties.Weights(Double.parseDouble(p[5]), Double.parseDouble(p[6]),
								Double.parseDouble(p[7]), 1)
						: new RecommendationProperties.Weights(1, 3, 5, 1);
				Dataset<Row> signals = Signals
					.extract(events, weights, List.of("Order Completed"), "recommendations", Duration.ofDays(7))
					.cache();
				Instant end = signals.agg(max("occurred_at")).first().getTimestamp(0).toInstant().plusSeconds(1);
				RecommendationTrainer.Settings base = RecommendationQualityTest.settings(Integer.parseInt(p[0]),
						Double.parseDouble(p[1]), Double.parseDouble(p[2]), Integer.parseInt(p[3]),
						Duration.ofDays(Long.parseLong(p[4])));
				long t0 = System.nanoTime();
				RecommendationTrainer.Evaluation evaluation = RecommendationTrainer.evaluate(spark, signals, base, end,
						(f, s) -> {
						});
				System.out.printf("TUNE %s als=%.4f pop=%.4f knn=%.4f als/pop=%.2f %.1fs %s%n", combination,
						evaluation.ndcg("als"), evaluation.ndcg("popularity"), evaluation.ndcg("itemKnn"),
						evaluation.ndcg("als") / evaluation.ndcg("popularity"), (System.nanoTime() - t0) / 1e9,
						evaluation.metrics());
				signals.unpersist();
			}
		}
		finally {
			spark.stop();
		}
	}

}
