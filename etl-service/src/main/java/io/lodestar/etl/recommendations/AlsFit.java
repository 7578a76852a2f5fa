package io.lodestar.etl.recommendations;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib ALS with implicit feedback on a training set, and its factors back on the
 * driver. A rating r enters implicit ALS as preference {@code r > 0 ? 1 : 0} with
 * confidence {@code 1 + alpha * |r|}: a shown-and-ignored item (r < 0) is a confident 0,
 * an item never seen stays at the unobserved confidence of 1.
 */
final class AlsFit {

	private static final StructType RATINGS = new StructType().add("user", DataTypes.IntegerType)
		.add("item", DataTypes.IntegerType)
		.add("rating", DataTypes.FloatType);

	/**
	 * ALS's hyper-parameters.
	 *
	 * @param rank latent factors
	 * @param regParam L2 regularisation
	 * @param alpha confidence scale
	 * @param maxIter iterations
	 * @param seed random seed
	 */
	record Params(int rank, double regParam, double alpha, int maxIter, long seed) {
	}

	/** Factors by index; null for a user or item ALS left out. */
	record Factors(float[][] users, float[][] items) {

		double score(int user, int item) {
			float[] u = this.users[user];
			float[] v = this.items[item];
			if (u == null || v == null) {
				return Double.NaN;
			}
			double dot = 0;
			for (int f = 0; f < u.length; f++) {
				dot += u[f] * v[f];
			}
			return dot;
		}

		int[] recommend(int user, boolean[] exclude, int k) {
			double[] scores = new double[this.items.length];
			for (int i = 0; i < scores.length; i++) {
				scores[i] = score(user, i);
			}
			return TopK.of(scores, null, exclude, k);
		}

	}

	private AlsFit() {
	}

	static Factors fit(SparkSession spark, TrainingData data, Params params) {
		List<Row> rows = new ArrayList<>((int) data.interactions);
		for (int u = 0; u < data.users.length; u++) {
			for (int n = 0; n < data.userItems[u].length; n++) {
				float rating = data.userRatings[u][n];
				if (rating != 0) {
					rows.add(RowFactory.create(u, data.userItems[u][n], rating));
				}
			}
		}
		int blocks = Math.max(1, Math.min(8, spark.sparkContext().defaultParallelism()));
		Dataset<Row> ratings = spark.createDataFrame(rows, RATINGS).repartition(blocks).cache();
		try {
			ALSModel model = new ALS().setImplicitPrefs(true)
				.setRank(params.rank())
				.setRegParam(params.regParam())
				.setAlpha(params.alpha())
				.setMaxIter(params.maxIter())
				.setSeed(params.seed())
				.setNumUserBlocks(blocks)
				.setNumItemBlocks(blocks)
				.setUserCol("user")
				.setItemCol("item")
				.setRatingCol("rating")
				.setColdStartStrategy("drop")
				.fit(ratings);
			return new Factors(collect(model.userFactors(), data.users.length),
					collect(model.itemFactors(), data.items.length));
		}
		finally {
			ratings.unpersist();
		}
	}

	private static float[][] collect(Dataset<Row> factors, int size) {
		float[][] result = new float[size][];
		for (Row row : factors.collectAsList()) {
			List<Float> values = row.getList(1);
			float[] vector = new float[values.size()];
			for (int f = 0; f < vector.length; f++) {
				vector[f] = values.get(f);
			}
			result[row.getInt(0)] = vector;
		}
		return result;
	}

}
