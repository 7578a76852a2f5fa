package io.lodestar.etl.rfm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

/**
 * Computes RFM tiers from purchases. Recency is days from a customer's last purchase to
 * the day after the last purchase of all (the data's "today"), frequency the purchase
 * days, monetary the total spent. Each is scored 1-5 by quintile (5 best: most recent,
 * most frequent, highest spend). k-means runs on the standardised log-values for every k
 * of the range with a fixed seed; the k with the best silhouette wins. Clusters are named
 * from their mean scores.
 */
public final class RfmModel {

	private RfmModel() {
	}

	/**
	 * @param purchases rows of {@code profile_id} (string), {@code occurred_at}
	 * (timestamp), {@code revenue} (double)
	 * @param kMin the fewest clusters tried (≥ 2)
	 * @param kMax the most clusters tried
	 * @param seed k-means seed
	 * @return the tiers
	 */
	public static RfmResult fit(Dataset<Row> purchases, int kMin, int kMax, long seed) {
		Dataset<Row> daily = purchases.withColumn("day", to_date(col("occurred_at")));
		Row end = daily.agg(max("day").as("last")).first();
		Dataset<Row> customers = daily.groupBy("profile_id")
			.agg(max("day").as("last_day"), countDistinct("day").as("frequency"), sum("revenue").as("monetary"))
			.where(col("monetary").gt(0))
			.withColumn("recency_days", datediff(lit(end.getDate(0)), col("last_day")).plus(1))
			.drop("last_day");
		// quintile scores: ntile over the whole set (one partition: fine at the sizes of
		// one workspace)
		customers = customers.withColumn("r_score", ntile(5).over(Window.orderBy(col("recency_days").desc())))
			.withColumn("f_score", ntile(5).over(Window.orderBy(col("frequency").asc())))
			.withColumn("m_score", ntile(5).over(Window.orderBy(col("monetary").asc())))
			.withColumn("log_r", log1p(col("recency_days")))
			.withColumn("log_f", log1p(col("frequency")))
			.withColumn("log_m", log1p(col("monetary")))
			.cache();
		long size = customers.count();
		if (size < kMax * 10L) {
			throw new IllegalArgumentException("too few customers (" + size + ") for " + kMax + " clusters");
		}
		Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] { "log_r", "log_f", "log_m" })
			.setOutputCol("raw")
			.transform(customers);
		Dataset<Row> features = new StandardScaler().setInputCol("raw")
			.setOutputCol("features")
			.setWithMean(true)
			.setWithStd(true)
			.fit(assembled)
			.transform(assembled)
			.cache();
		ClusteringEvaluator evaluator = new ClusteringEvaluator().setFeaturesCol("features")
			.setPredictionCol("cluster");
		Map<Integer, Double> silhouettes = new LinkedHashMap<>();
		KMeansModel best = null;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (int k = kMin; k <= kMax; k++) {
			KMeansModel model = new KMeans().setK(k)
				.setSeed(seed)
				.setMaxIter(50)
				.setFeaturesCol("features")
				.setPredictionCol("cluster")
				.fit(features);
			double silhouette = evaluator.evaluate(model.transform(features));
			silhouettes.put(k, silhouette);
			if (silhouette > bestScore) {
				bestScore = silhouette;
				best = model;
			}
		}
		Dataset<Row> clustered = best.transform(features)
			.select("profile_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "cluster")
			.cache();
		double revenue = clustered.agg(sum("monetary")).first().getDouble(0);
		List<Row> stats = clustered.groupBy("cluster")
			.agg(count(lit(1)).as("customers"), sum("monetary").as("revenue"), avg("r_score").as("r"),
					avg("f_score").as("f"), avg("m_score").as("m"), avg("recency_days").as("recency"),
					avg("frequency").as("frequency"), avg("monetary").as("monetary"))
			.collectAsList();
		Map<Integer, String> names = names(stats);
		List<RfmResult.Tier> tiers = new ArrayList<>();
		for (Row row : stats) {
			int cluster = row.getInt(row.fieldIndex("cluster"));
			tiers.add(new RfmResult.Tier(names.get(cluster), cluster, row.getLong(row.fieldIndex("customers")),
					row.getDouble(row.fieldIndex("revenue")) / revenue, row.getDouble(row.fieldIndex("r")),
					row.getDouble(row.fieldIndex("f")), row.getDouble(row.fieldIndex("m")),
					row.getDouble(row.fieldIndex("recency")), row.getDouble(row.fieldIndex("frequency")),
					row.getDouble(row.fieldIndex("monetary"))));
		}
		tiers.sort(Comparator.comparingDouble(RfmResult.Tier::revenueShare).reversed());
		return new RfmResult(clustered, tiers, silhouettes, best.getK(), bestScore, size);
	}

	/**
	 * Names each cluster from its mean scores (1-5): recency r, and value fm = (f + m) /
	 * 2. Two clusters that would share a name are told apart by their value ("Loyal",
	 * "Loyal II").
	 */
	static Map<Integer, String> names(List<Row> stats) {
		Map<Integer, String> names = new HashMap<>();
		Map<String, Integer> used = new HashMap<>();
		List<Row> byValue = new ArrayList<>(stats);
		byValue.sort(Comparator
			.comparingDouble((Row row) -> -(row.getDouble(row.fieldIndex("f")) + row.getDouble(row.fieldIndex("m")))));
		for (Row row : byValue) {
			double r = row.getDouble(row.fieldIndex("r"));
			double fm = (row.getDouble(row.fieldIndex("f")) + row.getDouble(row.fieldIndex("m"))) / 2;
			String name = name(r, fm);
			int seen = used.merge(name, 1, Integer::sum);
			names.put(row.getInt(row.fieldIndex("cluster")), (seen == 1) ? name : name + " " + "I".repeat(seen));
		}
		return names;
	}

	static String name(double r, double fm) {
		if (r >= 3.5 && fm >= 3.5) {
			return "Champions";
		}
		if (r >= 2.5 && fm >= 3.5) {
			return "Loyal";
		}
		if (r < 2.5 && fm >= 3) {
			return "At risk";
		}
		if (r >= 3.5 && fm < 2.5) {
			return "New customers";
		}
		if (r >= 2.5 && fm >= 2.5) {
			return "Potential loyalists";
		}
		if (r < 2 && fm < 2.5) {
			return "Lost";
		}
		return "Hibernating";
	}

}
