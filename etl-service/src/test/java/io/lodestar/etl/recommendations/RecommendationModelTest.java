package io.lodestar.etl.recommendations;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The training's pieces on small planted data sets on a {@code local[2]} session: signals
 * and their weights, decay and catalogue; a planted pattern ALS must find (customers who
 * bought A and B go on to buy C), deterministically; the negative signal (shown and
 * ignored lowers an item; never shown, clicked, or not yet decided does not); the metric
 * functions against hand-computed values; item-kNN's neighbours.
 */
class RecommendationModelTest {

	private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final RecommendationProperties.Weights WEIGHTS = new RecommendationProperties.Weights(1, 3, 5, 1);

	private static final AlsFit.Params ALS = new AlsFit.Params(8, 0.05, 10, 10, 42);

	private static SparkSession spark;

	@BeforeAll
	static void startSpark() {
		spark = SparkSession.builder()
			.master("local[2]")
			.appName("recommendation-model-test")
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

	private static Timestamp day(double days) {
		return Timestamp.from(DAY0.plusSeconds((long) (days * 86400)));
	}

	private static Row order(String profile, double day, String... items) {
		String products = Arrays.stream(items)
			.map((item) -> "{\"product_id\":\"" + item + "\",\"quantity\":1}")
			.collect(Collectors.joining(","));
		return RowFactory.create(profile, "Order Completed", day(day), "{\"products\":[" + products + "]}");
	}

	private static Row track(String profile, String name, double day, String properties) {
		return RowFactory.create(profile, name, day(day), properties);
	}

	private static Row impression(String profile, double day, String... items) {
		StringBuilder products = new StringBuilder();
		for (int i = 0; i < items.length; i++) {
			products.append((i > 0) ? "," : "")
				.append("{\"product_id\":\"")
				.append(items[i])
				.append("\",\"position\":")
				.append(i + 1)
				.append('}');
		}
		return track(profile, "Product List Viewed", day,
				"{\"list_id\":\"recommendations\",\"recommendation_id\":\"rec-" + profile + "-" + day
						+ "\",\"products\":[" + products + "]}");
	}

	private static Dataset<Row> events(List<Row> rows) {
		return spark.createDataFrame(rows, Signals.EVENTS);
	}

	private static Dataset<Row> signals(List<Row> rows) {
		return Signals.extract(events(rows), WEIGHTS, List.of("Order Completed"), "recommendations",
				Duration.ofDays(7));
	}

	private static Map<String, Double> ratingsOf(List<Row> rows, Instant reference, Duration halfLife) {
		return Signals.ratings(signals(rows), Timestamp.from(reference), halfLife)
			.collectAsList()
			.stream()
			.collect(Collectors.toMap((row) -> row.getString(0) + "/" + row.getString(1), (row) -> row.getDouble(2)));
	}

	@Test
	void signalsAreWeightedByKindQuantityAndDecay() {
		List<Row> rows = List.of(track("p", "Product Viewed", 10, "{\"product_id\":\"V\"}"),
				track("p", "Product Added", 10, "{\"productId\":\"K\",\"name\":\"Kettle\"}"),
				RowFactory.create("p", "Order Completed", day(0),
						"{\"products\":[{\"product_id\":\"Q\",\"quantity\":\"3\"},{\"product_id\":\"R\",\"quantity\":0},"
								+ "{\"sku\":\"S\"},{\"name\":\"no id\"}]}"),
				track("p", "Page Viewed", 10, "{\"product_id\":\"IGNORED\"}"));

		Map<String, Double> noDecay = ratingsOf(rows, DAY0.plus(Duration.ofDays(10)).plusSeconds(1), Duration.ZERO);
		assertThat(noDecay).containsOnlyKeys("p/V", "p/K", "p/Q", "p/S");
		assertThat(noDecay.get("p/V")).isCloseTo(1.0, within(1e-9));
		assertThat(noDecay.get("p/K")).isCloseTo(3.0, within(1e-9));
		assertThat(noDecay.get("p/Q")).isCloseTo(5 * (1 + Math.log(3)), within(1e-9));
		assertThat(noDecay.get("p/S")).isCloseTo(5.0, within(1e-9));

		// ten days before the reference with a ten-day half-life: half the weight
		Map<String, Double> decayed = ratingsOf(rows, DAY0.plus(Duration.ofDays(10)), Duration.ofDays(10));
		assertThat(decayed).containsOnlyKeys("p/Q", "p/S");
		assertThat(decayed.get("p/S")).isCloseTo(2.5, within(1e-9));
	}

	@Test
	void theCatalogueKeepsEachItemsLatestKnownFields() {
		List<Row> rows = List.of(track("p", "Product Viewed", 1,
				"{\"product_id\":\"A\",\"name\":\"Old\",\"category\":\"Mugs\",\"brand\":\"Acme\",\"price\":\"4.5\"}"),
				track("p", "Product Viewed", 2, "{\"product_id\":\"A\",\"name\":\"New\",\"price\":5}"),
				RowFactory.create("p", "Order Completed", day(3),
						"{\"products\":[{\"product_id\":\"B\",\"name\":\"Bowl\",\"categoryCode\":\"kitchen.bowls\"}]}"));

		Map<String, Row> catalogue = Signals.catalogue(events(rows))
			.collectAsList()
			.stream()
			.collect(Collectors.toMap((row) -> row.getString(0), (row) -> row));

		assertThat(catalogue).containsOnlyKeys("A", "B");
		assertThat(catalogue.get("A").getString(1)).isEqualTo("New");
		assertThat(catalogue.get("A").getString(2)).isEqualTo("Mugs");
		assertThat(catalogue.get("A").getString(3)).isEqualTo("Acme");
		assertThat(catalogue.get("A").getDouble(4)).isEqualTo(5.0);
		assertThat(catalogue.get("B").getString(2)).isEqualTo("kitchen.bowls");
	}

	/**
	 * 40 customers buy A and B, then C; 60 buy the more popular D with E; t bought A and
	 * B.
	 */
	private static List<Row> plantedAbc() {
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			rows.add(order("abc-" + i, 1 + i % 5, "A", "B"));
			rows.add(order("abc-" + i, 10 + i % 5, "C"));
		}
		for (int i = 0; i < 60; i++) {
			rows.add(order("pop-" + i, 2 + i % 7, "D", "E"));
			if (i % 3 == 0) {
				rows.add(order("pop-" + i, 12, "F"));
			}
		}
		rows.add(order("t", 20, "A", "B"));
		return rows;
	}

	@Test
	void customersWhoBoughtAAndBAreRecommendedCFirstEveryTime() {
		Instant end = DAY0.plus(Duration.ofDays(30));
		TrainingData data = RecommendationTrainer.data(signals(plantedAbc()).cache(), end, Duration.ofDays(90));
		int target = data.userIndex.get("t");

		AlsFit.Factors first = AlsFit.fit(spark, data, ALS);
		AlsFit.Factors second = AlsFit.fit(spark, data, ALS);

		int[] top = first.recommend(target, data.purchasedMask(target), 3);
		assertThat(data.items[top[0]]).isEqualTo("C");
		assertThat(Arrays.stream(top).mapToObj((i) -> data.items[i])).doesNotContain("A", "B");
		// popularity alone would say D
		assertThat(data.items[data.byPopularity()[0]]).isEqualTo("D");
		// fixed seed: the same lists for everyone
		for (int u = 0; u < data.users.length; u++) {
			assertThat(second.recommend(u, data.purchasedMask(u), 3))
				.isEqualTo(first.recommend(u, data.purchasedMask(u), 3));
		}
		// the ids are the sorted ids: stable for the same data
		assertThat(data.items).containsExactly("A", "B", "C", "D", "E", "F");
	}

	@Test
	void theHoldOutEvaluationFindsThePlantedPatternAndTheServingModelIsRefitted() {
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			rows.add(order("abc-" + i, 1 + i % 5, "A", "B"));
			// a third buy C early, a third in the validation period before the cut-off
			// (day
			// 40), a third in the test period after it
			rows.add(order("abc-" + i, new int[] { 10, 25, 45 }[i % 3], "C"));
		}
		for (int i = 0; i < 60; i++) {
			rows.add(order("pop-" + i, 2 + i % 7, "D", "E"));
		}
		RecommendationTrainer.Settings settings = new RecommendationTrainer.Settings(WEIGHTS, Duration.ofDays(90),
				Duration.ofDays(7), Duration.ofDays(20), 2, ALS, true, List.of(4, 8), List.of(0.05), List.of(10.0),
				List.of("Order Completed"), "recommendations", 10, 1000);

		RecommendationTrainer.Trained trained = RecommendationTrainer.train(spark, events(rows), settings,
				DAY0.plus(Duration.ofDays(60)), (fraction, step) -> {
				});

		Map<String, Object> metrics = trained.evaluation().metrics();
		assertThat(metrics).containsKeys("k", "testUsers", "als", "popularity", "itemKnn");
		assertThat(metrics.get("testUsers")).isEqualTo(20);
		assertThat(trained.evaluation().cutoff()).isEqualTo(DAY0.plus(Duration.ofDays(40)));
		// C first for all twenty: recall@2 is 1; popularity puts D, E first
		@SuppressWarnings("unchecked")
		Map<String, Object> als = (Map<String, Object>) metrics.get("als");
		assertThat((double) als.get("recall")).isEqualTo(1.0);
		assertThat((double) als.get("ndcg")).isEqualTo(1.0);
		assertThat(trained.evaluation().ndcg("popularity")).isEqualTo(0.0);
		assertThat(trained.evaluation().grid()).hasSize(2);
		// the serving model covers everything, and knows who bought what by the end
		assertThat(trained.data().users).hasSize(120);
		int buyer = trained.data().userIndex.get("abc-2");
		assertThat(trained.data().purchasedIds(buyer)).containsExactly("A", "B", "C");
		assertThat(trained.factors().users()[buyer]).hasSize(trained.evaluation().chosen().rank());
	}

	/** 30 customers buy X with Y, 20 buy X with Z; u bought X. */
	private static List<Row> plantedXyz() {
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			rows.add(order("y-" + i, 1 + i % 5, "X", "Y"));
		}
		for (int i = 0; i < 20; i++) {
			rows.add(order("z-" + i, 1 + i % 5, "X", "Z"));
		}
		rows.add(order("u", 5, "X"));
		return rows;
	}

	private static double score(List<Row> rows, Instant end, String user, String item) {
		TrainingData data = RecommendationTrainer.data(signals(rows), end, Duration.ZERO);
		AlsFit.Factors factors = AlsFit.fit(spark, data, ALS);
		return factors.score(data.userIndex.get(user), data.itemIndex.get(item));
	}

	@Test
	void anItemShownAndIgnoredIsANegativeAndLowersItsScore() {
		Instant end = DAY0.plus(Duration.ofDays(40));
		List<Row> ignored = new ArrayList<>(plantedXyz());
		ignored.add(impression("u", 20, "Y"));

		Map<String, Double> ratings = ratingsOf(ignored, end, Duration.ZERO);
		assertThat(ratings.get("u/Y")).isEqualTo(-1.0);

		double base = score(plantedXyz(), end, "u", "Y");
		double afterIgnoring = score(ignored, end, "u", "Y");
		assertThat(afterIgnoring).isLessThan(base - 0.05);
		// and Z, never shown, is not pushed down for u
		assertThat(score(ignored, end, "u", "Z")).isGreaterThan(afterIgnoring);
	}

	@Test
	void anItemNeverShownClickedOrBoughtInTheWindowOrNotYetDecidedIsNoSignal() {
		Instant end = DAY0.plus(Duration.ofDays(40));
		List<Row> rows = new ArrayList<>(plantedXyz());
		// clicked two days after the impression
		rows.add(impression("y-0", 20, "Z"));
		rows.add(track("y-0", "Product Clicked", 22, "{\"recommendation_id\":\"r\",\"product_id\":\"Z\"}"));
		// bought six days after
		rows.add(impression("y-1", 20, "Z"));
		rows.add(order("y-1", 26, "Z"));
		// shown three days before the end: not decided yet
		rows.add(impression("y-2", 37, "Z"));
		// shown in another list than the recommendations
		rows.add(track("y-3", "Product List Viewed", 20,
				"{\"list_id\":\"search\",\"products\":[{\"product_id\":\"Z\",\"position\":1}]}"));

		Map<String, Double> ratings = ratingsOf(rows, end, Duration.ZERO);

		assertThat(ratings).doesNotContainKeys("u/Y", "u/Z", "y-0/Z", "y-2/Z", "y-3/Z");
		assertThat(ratings.get("y-1/Z")).isEqualTo(5.0);
		// the same impression is a negative once its window has passed unanswered
		assertThat(ratingsOf(rows, DAY0.plus(Duration.ofDays(45)), Duration.ZERO).get("y-2/Z")).isEqualTo(-1.0);
		// ignored long ago, then bought: the purchase outweighs it
		List<Row> later = new ArrayList<>(plantedXyz());
		later.add(impression("u", 10, "Y"));
		later.add(order("u", 30, "Y"));
		assertThat(ratingsOf(later, end, Duration.ZERO).get("u/Y")).isEqualTo(4.0);
	}

	@Test
	void metricsMatchHandComputedValues() {
		int[] recommended = { 1, 2, 3, 4, 5 };
		Set<Integer> relevant = Set.of(2, 5, 9);

		assertThat(RankingMetrics.precision(recommended, relevant, 5)).isCloseTo(0.4, within(1e-12));
		assertThat(RankingMetrics.recall(recommended, relevant, 5)).isCloseTo(2.0 / 3, within(1e-12));
		// DCG = 1/log2(3) + 1/log2(6); ideal = 1 + 1/log2(3) + 1/log2(4)
		assertThat(RankingMetrics.ndcg(recommended, relevant, 5)).isCloseTo(1.0177825 / 2.1309298, within(1e-6));
		// (1/2 + 2/5) / min(3, 5)
		assertThat(RankingMetrics.averagePrecision(recommended, relevant, 5)).isCloseTo(0.3, within(1e-12));

		assertThat(RankingMetrics.precision(recommended, relevant, 2)).isCloseTo(0.5, within(1e-12));
		assertThat(RankingMetrics.recall(recommended, relevant, 2)).isCloseTo(1.0 / 3, within(1e-12));
		assertThat(RankingMetrics.ndcg(recommended, relevant, 2)).isCloseTo(0.6309298 / 1.6309298, within(1e-6));
		assertThat(RankingMetrics.averagePrecision(recommended, relevant, 2)).isCloseTo(0.25, within(1e-12));

		assertThat(RankingMetrics.ndcg(new int[] { 9, 2, 5 }, relevant, 3)).isCloseTo(1.0, within(1e-12));
		assertThat(RankingMetrics.ndcg(new int[] { 7, 8 }, relevant, 2)).isZero();

		RankingMetrics.Accumulator accumulator = new RankingMetrics.Accumulator(2, 10);
		accumulator.add(new int[] { 1, 2 }, Set.of(2));
		accumulator.add(new int[] { 1, 3 }, Set.of(4));
		Map<String, Object> result = accumulator.result();
		assertThat((double) result.get("precision")).isCloseTo(0.25, within(1e-12));
		assertThat((double) result.get("recall")).isCloseTo(0.5, within(1e-12));
		assertThat((double) result.get("map")).isCloseTo(0.25, within(1e-12));
		// items 1, 2, 3 of 10
		assertThat((double) result.get("coverage")).isCloseTo(0.3, within(1e-12));
	}

	@Test
	void itemKnnRanksByCosineOverCustomersAndSkipsWhatWasBought() {
		List<Row> rows = List.of(order("u1", 1, "A", "B"), order("u2", 1, "A", "B"), order("u3", 1, "A", "C"),
				order("u4", 1, "A"));
		TrainingData data = RecommendationTrainer.data(signals(rows), DAY0.plus(Duration.ofDays(2)), Duration.ZERO);

		ItemKnn knn = ItemKnn.fit(data, 10);
		int u4 = data.userIndex.get("u4");
		int[] top = knn.recommend(u4, data.purchasedMask(u4), 5);

		// cos(A, B) = 2 / (sqrt 4 * sqrt 2) > cos(A, C) = 1 / (sqrt 4 * 1)
		assertThat(Arrays.stream(top).mapToObj((i) -> data.items[i])).containsExactly("B", "C");
		int u3 = data.userIndex.get("u3");
		assertThat(Arrays.stream(knn.recommend(u3, data.purchasedMask(u3), 5)).mapToObj((i) -> data.items[i]))
			.containsExactly("B");
		assertThat(Arrays.stream(TopK.first(data.byPopularity(), data.purchasedMask(u4), 5))
			.mapToObj((i) -> data.items[i])).containsExactly("B", "C");
	}

}
