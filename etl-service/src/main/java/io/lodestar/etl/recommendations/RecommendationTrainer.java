package io.lodestar.etl.recommendations;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.lodestar.etl.jobs.JobDataException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * Trains and evaluates a recommendation model from events, without touching a database:
 * signals → ratings before a cut-off (the end of the data minus the hold-out) → ALS
 * (optionally the best of a small grid on a validation split just before the cut-off) →
 * precision, recall, NDCG, MAP at k and coverage of ALS, popularity and item-kNN on what
 * each customer bought after the cut-off (customers present in both; items bought in
 * training are excluded from every list and from the relevant set, since no list may
 * contain them). Then ALS is refitted on all the data for serving.
 */
final class RecommendationTrainer {

	private RecommendationTrainer() {
	}

	/**
	 * Everything a training run needs.
	 *
	 * @param weights signal weights
	 * @param halfLife decay half-life (zero: none)
	 * @param negativeWindow the shown-and-ignored window
	 * @param holdout the test period
	 * @param k list length
	 * @param als ALS's parameters (the grid's best replaces them when the grid runs)
	 * @param grid whether to try the grid
	 * @param ranks the grid's ranks
	 * @param regParams the grid's regularisations
	 * @param alphas the grid's alphas
	 * @param purchaseEvents purchase event names
	 * @param impressionListId the recommendation impressions' list id
	 * @param knnNeighbours item-kNN neighbours per item
	 * @param maxTestUsers test customers evaluated at most
	 */
	record Settings(RecommendationProperties.Weights weights, Duration halfLife, Duration negativeWindow,
			Duration holdout, int k, AlsFit.Params als, boolean grid, List<Integer> ranks, List<Double> regParams,
			List<Double> alphas, List<String> purchaseEvents, String impressionListId, int knnNeighbours,
			int maxTestUsers) {
	}

	/**
	 * @param metrics {"k","testUsers","als":{…},"popularity":{…},"itemKnn":{…}}
	 * @param cutoff train before, test after
	 * @param chosen the ALS parameters used
	 * @param grid every combination tried with its validation NDCG (empty without grid)
	 */
	record Evaluation(Map<String, Object> metrics, Instant cutoff, AlsFit.Params chosen,
			List<Map<String, Object>> grid) {

		double ndcg(String model) {
			@SuppressWarnings("unchecked")
			Map<String, Object> scores = (Map<String, Object>) this.metrics.get(model);
			return ((Number) scores.get("ndcg")).doubleValue();
		}

	}

	/**
	 * The model for serving and its evaluation.
	 *
	 * @param data all interactions (ids, popularity, purchases)
	 * @param factors ALS's factors on all interactions
	 * @param evaluation the hold-out evaluation
	 * @param end the end of the training data
	 */
	record Trained(TrainingData data, AlsFit.Factors factors, Evaluation evaluation, Instant end) {
	}

	/**
	 * @param spark the session
	 * @param events rows of {@link Signals#EVENTS}
	 * @param settings the settings
	 * @param end the end of the data (exclusive), or null for just after the latest event
	 * @param progress told how far it is
	 * @return the model
	 * @throws JobDataException without interactions or test customers
	 */
	static Trained train(SparkSession spark, Dataset<Row> events, Settings settings, Instant end,
			BiConsumer<Double, String> progress) {
		progress.accept(0.05, "extracting interactions");
		Dataset<Row> signals = Signals
			.extract(events, settings.weights(), settings.purchaseEvents(), settings.impressionListId(),
					settings.negativeWindow())
			.cache();
		try {
			Instant dataEnd = end;
			if (dataEnd == null) {
				Row latest = signals.agg(max("occurred_at")).first();
				if (latest.isNullAt(0)) {
					throw new JobDataException("no interactions to train on: no Product Viewed, Product Added or "
							+ settings.purchaseEvents() + " event with a product id");
				}
				dataEnd = latest.getTimestamp(0).toInstant().plusSeconds(1);
			}
			Evaluation evaluation = evaluate(spark, signals, settings, dataEnd, progress);
			progress.accept(0.8, "fitting the serving model on all interactions");
			TrainingData all = data(signals, dataEnd, settings.halfLife());
			AlsFit.Factors factors = AlsFit.fit(spark, all, evaluation.chosen());
			return new Trained(all, factors, evaluation, dataEnd);
		}
		finally {
			signals.unpersist();
		}
	}

	static TrainingData data(Dataset<Row> signals, Instant reference, Duration halfLife) {
		return new TrainingData(Signals.ratings(signals, Timestamp.from(reference), halfLife)
			.select("profile_id", "item_id", "rating", "positive", "purchased")
			.collectAsList());
	}

	static Evaluation evaluate(SparkSession spark, Dataset<Row> signals, Settings settings, Instant end,
			BiConsumer<Double, String> progress) {
		Instant cutoff = end.minus(settings.holdout());
		progress.accept(0.1, "building the hold-out split at " + cutoff);
		TrainingData train = data(signals, cutoff, settings.halfLife());
		if (train.users.length == 0) {
			throw new JobDataException("no interactions before the hold-out cut-off " + cutoff
					+ "; the data must span more than the " + settings.holdout().toDays() + "-day test period");
		}
		Map<Integer, Set<Integer>> test = sample(testSet(signals, cutoff, end, train), settings.maxTestUsers(),
				settings.als().seed());
		if (test.isEmpty()) {
			throw new JobDataException("no customer bought a new item after the cut-off " + cutoff
					+ " and interacted before it: nothing to evaluate on");
		}
		AlsFit.Params chosen = settings.als();
		List<Map<String, Object>> tried = new ArrayList<>();
		if (settings.grid()) {
			Instant validationCutoff = cutoff.minus(settings.holdout());
			TrainingData validationTrain = data(signals, validationCutoff, settings.halfLife());
			Map<Integer, Set<Integer>> validation = sample(testSet(signals, validationCutoff, cutoff, validationTrain),
					settings.maxTestUsers(), settings.als().seed());
			if (!validation.isEmpty()) {
				double best = Double.NEGATIVE_INFINITY;
				int combinations = settings.ranks().size() * settings.regParams().size() * settings.alphas().size();
				int n = 0;
				for (int rank : settings.ranks()) {
					for (double regParam : settings.regParams()) {
						for (double alpha : settings.alphas()) {
							progress.accept(0.15 + 0.45 * n++ / combinations,
									"grid: rank " + rank + ", regParam " + regParam + ", alpha " + alpha);
							AlsFit.Params params = new AlsFit.Params(rank, regParam, alpha, settings.als().maxIter(),
									settings.als().seed());
							AlsFit.Factors factors = AlsFit.fit(spark, validationTrain, params);
							RankingMetrics.Accumulator scores = score(validationTrain, validation, settings.k(),
									(user, exclude) -> factors.recommend(user, exclude, settings.k()));
							Map<String, Object> row = new LinkedHashMap<>();
							row.put("rank", rank);
							row.put("regParam", regParam);
							row.put("alpha", alpha);
							row.put("validationNdcg", scores.ndcg());
							tried.add(row);
							if (scores.ndcg() > best) {
								best = scores.ndcg();
								chosen = params;
							}
						}
					}
				}
			}
		}
		progress.accept(0.6, "fitting ALS on the training split");
		AlsFit.Factors factors = AlsFit.fit(spark, train, chosen);
		int k = settings.k();
		progress.accept(0.7, "evaluating ALS, popularity and item-kNN on " + test.size() + " customers");
		RankingMetrics.Accumulator als = score(train, test, k, (user, exclude) -> factors.recommend(user, exclude, k));
		int[] ranking = train.byPopularity();
		RankingMetrics.Accumulator popularity = score(train, test, k,
				(user, exclude) -> TopK.first(ranking, exclude, k));
		ItemKnn knn = ItemKnn.fit(train, settings.knnNeighbours());
		RankingMetrics.Accumulator itemKnn = score(train, test, k, (user, exclude) -> knn.recommend(user, exclude, k));
		Map<String, Object> metrics = new LinkedHashMap<>();
		metrics.put("k", k);
		metrics.put("testUsers", test.size());
		metrics.put("als", als.result());
		metrics.put("popularity", popularity.result());
		metrics.put("itemKnn", itemKnn.result());
		return new Evaluation(metrics, cutoff, chosen, tried);
	}

	interface Recommender {

		int[] recommend(int user, boolean[] exclude);

	}

	private static RankingMetrics.Accumulator score(TrainingData train, Map<Integer, Set<Integer>> test, int k,
			Recommender recommender) {
		RankingMetrics.Accumulator accumulator = new RankingMetrics.Accumulator(k, train.items.length);
		for (Map.Entry<Integer, Set<Integer>> entry : test.entrySet()) {
			accumulator.add(recommender.recommend(entry.getKey(), train.purchasedMask(entry.getKey())),
					entry.getValue());
		}
		return accumulator;
	}

	/**
	 * What each training customer bought in [from, to) that they had not bought before:
	 * user index → item indexes (items unknown to training get indexes past the
	 * catalogue, so they count as misses for every model).
	 */
	static Map<Integer, Set<Integer>> testSet(Dataset<Row> signals, Instant from, Instant to, TrainingData train) {
		List<Row> bought = signals
			.where(col("kind").equalTo(Signals.PURCHASE)
				.and(col("occurred_at").geq(lit(Timestamp.from(from))))
				.and(col("occurred_at").lt(lit(Timestamp.from(to)))))
			.select("profile_id", "item_id")
			.distinct()
			.collectAsList();
		Map<String, Integer> unknown = new HashMap<>();
		Map<Integer, Set<Integer>> test = new TreeMap<>();
		Map<Integer, boolean[]> masks = new HashMap<>();
		for (Row row : bought) {
			Integer user = train.userIndex.get(row.getString(0));
			if (user == null) {
				continue;
			}
			Integer item = train.itemIndex.get(row.getString(1));
			if (item == null) {
				item = train.items.length + unknown.computeIfAbsent(row.getString(1), (id) -> unknown.size());
			}
			else if (masks.computeIfAbsent(user, train::purchasedMask)[item]) {
				continue;
			}
			test.computeIfAbsent(user, (u) -> new HashSet<>()).add(item);
		}
		return test;
	}

	private static Map<Integer, Set<Integer>> sample(Map<Integer, Set<Integer>> test, int max, long seed) {
		if (test.size() <= max) {
			return test;
		}
		List<Integer> users = new ArrayList<>(test.keySet());
		Collections.shuffle(users, new Random(seed));
		Map<Integer, Set<Integer>> sampled = new TreeMap<>();
		for (Integer user : users.subList(0, max)) {
			sampled.put(user, test.get(user));
		}
		return sampled;
	}

}
