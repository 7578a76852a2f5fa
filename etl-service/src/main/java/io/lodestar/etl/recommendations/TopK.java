package io.lodestar.etl.recommendations;

import java.util.PriorityQueue;

/**
 * The k best-scored items, highest first, ties by the lower index (deterministic).
 */
final class TopK {

	private TopK() {
	}

	/**
	 * @param scores every item's score
	 * @param candidate which items may be chosen (null: all)
	 * @param exclude which items must not (null: none)
	 * @param k how many
	 * @return up to k item indexes
	 */
	static int[] of(double[] scores, boolean[] candidate, boolean[] exclude, int k) {
		PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> {
			int byScore = Double.compare(scores[a], scores[b]);
			return (byScore != 0) ? byScore : Integer.compare(b, a);
		});
		for (int i = 0; i < scores.length; i++) {
			if ((candidate != null && !candidate[i]) || (exclude != null && exclude[i]) || Double.isNaN(scores[i])) {
				continue;
			}
			heap.add(i);
			if (heap.size() > k) {
				heap.poll();
			}
		}
		int[] top = new int[heap.size()];
		for (int n = top.length - 1; n >= 0; n--) {
			top[n] = heap.poll();
		}
		return top;
	}

	/**
	 * The first k of a ranking that are not excluded.
	 */
	static int[] first(int[] ranking, boolean[] exclude, int k) {
		int[] top = new int[Math.min(k, ranking.length)];
		int n = 0;
		for (int i = 0; i < ranking.length && n < top.length; i++) {
			if (exclude == null || !exclude[ranking[i]]) {
				top[n++] = ranking[i];
			}
		}
		return (n == top.length) ? top : java.util.Arrays.copyOf(top, n);
	}

}
