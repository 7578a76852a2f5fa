package io.lodestar.etl.recommendations;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Top-k ranking metrics of recommendation lists against the items each customer bought in
 * the test period, averaged over the test customers:
 * <ul>
 * <li>precision@k = hits / k; recall@k = hits / |relevant|;</li>
 * <li>NDCG@k = Σ over hits at rank i (1-based) of 1/log2(i + 1), divided by the same sum
 * for a perfect list (min(|relevant|, k) hits first);</li>
 * <li>MAP@k = Σ over hits at rank i of precision@i, divided by min(|relevant|, k);</li>
 * <li>coverage = distinct items recommended to anyone / items in the catalogue.</li>
 * </ul>
 */
final class RankingMetrics {

	private RankingMetrics() {
	}

	static double precision(int[] recommended, Set<Integer> relevant, int k) {
		return hits(recommended, relevant, k) / (double) k;
	}

	static double recall(int[] recommended, Set<Integer> relevant, int k) {
		return relevant.isEmpty() ? 0 : hits(recommended, relevant, k) / (double) relevant.size();
	}

	static double ndcg(int[] recommended, Set<Integer> relevant, int k) {
		double dcg = 0;
		for (int i = 0; i < Math.min(k, recommended.length); i++) {
			if (relevant.contains(recommended[i])) {
				dcg += 1 / log2(i + 2);
			}
		}
		double ideal = 0;
		for (int i = 0; i < Math.min(k, relevant.size()); i++) {
			ideal += 1 / log2(i + 2);
		}
		return (ideal == 0) ? 0 : dcg / ideal;
	}

	static double averagePrecision(int[] recommended, Set<Integer> relevant, int k) {
		double sum = 0;
		int hits = 0;
		for (int i = 0; i < Math.min(k, recommended.length); i++) {
			if (relevant.contains(recommended[i])) {
				hits++;
				sum += hits / (double) (i + 1);
			}
		}
		int possible = Math.min(k, relevant.size());
		return (possible == 0) ? 0 : sum / possible;
	}

	private static int hits(int[] recommended, Set<Integer> relevant, int k) {
		int hits = 0;
		for (int i = 0; i < Math.min(k, recommended.length); i++) {
			if (relevant.contains(recommended[i])) {
				hits++;
			}
		}
		return hits;
	}

	private static double log2(double x) {
		return Math.log(x) / Math.log(2);
	}

	/** Sums the metrics of many customers' lists. */
	static final class Accumulator {

		private final int k;

		private final int catalogue;

		private final BitSet recommendedItems = new BitSet();

		private double precision;

		private double recall;

		private double ndcg;

		private double map;

		private int users;

		Accumulator(int k, int catalogue) {
			this.k = k;
			this.catalogue = catalogue;
		}

		void add(int[] recommended, Set<Integer> relevant) {
			this.precision += precision(recommended, relevant, this.k);
			this.recall += recall(recommended, relevant, this.k);
			this.ndcg += RankingMetrics.ndcg(recommended, relevant, this.k);
			this.map += averagePrecision(recommended, relevant, this.k);
			for (int i = 0; i < Math.min(this.k, recommended.length); i++) {
				this.recommendedItems.set(recommended[i]);
			}
			this.users++;
		}

		double ndcg() {
			return (this.users == 0) ? 0 : this.ndcg / this.users;
		}

		/**
		 * @return precision, recall, ndcg, map, coverage
		 */
		Map<String, Object> result() {
			Map<String, Object> result = new LinkedHashMap<>();
			double n = Math.max(1, this.users);
			result.put("precision", this.precision / n);
			result.put("recall", this.recall / n);
			result.put("ndcg", this.ndcg / n);
			result.put("map", this.map / n);
			result.put("coverage",
					(this.catalogue == 0) ? 0.0 : this.recommendedItems.cardinality() / (double) this.catalogue);
			return result;
		}

	}

}
