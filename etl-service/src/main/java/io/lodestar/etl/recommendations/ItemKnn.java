package io.lodestar.etl.recommendations;

import java.util.Arrays;

/**
 * The item-kNN baseline: cosine similarity between items' vectors of positive training
 * ratings over customers, the {@code neighbours} most similar kept per item; a customer's
 * score for an item is the sum of its similarities to the items the customer interacted
 * with.
 */
final class ItemKnn {

	private final int[][] neighbours;

	private final float[][] similarities;

	private final TrainingData data;

	private ItemKnn(TrainingData data, int[][] neighbours, float[][] similarities) {
		this.data = data;
		this.neighbours = neighbours;
		this.similarities = similarities;
	}

	static ItemKnn fit(TrainingData data, int keep) {
		int items = data.items.length;
		// item → (user, value): the columns of the positive ratings
		int[] counts = new int[items];
		for (int u = 0; u < data.users.length; u++) {
			for (int n = 0; n < data.userItems[u].length; n++) {
				if (data.userPositives[u][n] > 0) {
					counts[data.userItems[u][n]]++;
				}
			}
		}
		int[][] users = new int[items][];
		float[][] values = new float[items][];
		for (int i = 0; i < items; i++) {
			users[i] = new int[counts[i]];
			values[i] = new float[counts[i]];
		}
		int[] fill = new int[items];
		double[] norms = new double[items];
		for (int u = 0; u < data.users.length; u++) {
			for (int n = 0; n < data.userItems[u].length; n++) {
				float value = data.userPositives[u][n];
				if (value > 0) {
					int i = data.userItems[u][n];
					users[i][fill[i]] = u;
					values[i][fill[i]] = value;
					fill[i]++;
					norms[i] += (double) value * value;
				}
			}
		}
		for (int i = 0; i < items; i++) {
			norms[i] = Math.sqrt(norms[i]);
		}
		int[][] neighbours = new int[items][];
		float[][] similarities = new float[items][];
		double[] dot = new double[items];
		int[] touched = new int[items];
		boolean[] seen = new boolean[items];
		double[] cos = new double[items];
		for (int i = 0; i < items; i++) {
			int touchedCount = 0;
			for (int n = 0; n < users[i].length; n++) {
				int u = users[i][n];
				float vi = values[i][n];
				for (int m = 0; m < data.userItems[u].length; m++) {
					float vj = data.userPositives[u][m];
					int j = data.userItems[u][m];
					if (vj <= 0 || j == i) {
						continue;
					}
					if (!seen[j]) {
						seen[j] = true;
						touched[touchedCount++] = j;
					}
					dot[j] += (double) vi * vj;
				}
			}
			int size = Math.min(keep, touchedCount);
			int[] best = new int[touchedCount];
			for (int t = 0; t < touchedCount; t++) {
				best[t] = touched[t];
			}
			final int self = i;
			Integer[] order = Arrays.stream(best).boxed().toArray(Integer[]::new);
			for (int t = 0; t < touchedCount; t++) {
				int j = touched[t];
				cos[j] = dot[j] / (norms[self] * norms[j]);
			}
			Arrays.sort(order, (a, b) -> {
				int byCos = Double.compare(cos[b], cos[a]);
				return (byCos != 0) ? byCos : Integer.compare(a, b);
			});
			neighbours[i] = new int[size];
			similarities[i] = new float[size];
			for (int t = 0; t < size; t++) {
				neighbours[i][t] = order[t];
				similarities[i][t] = (float) cos[order[t]];
			}
			for (int t = 0; t < touchedCount; t++) {
				dot[touched[t]] = 0;
				seen[touched[t]] = false;
			}
		}
		return new ItemKnn(data, neighbours, similarities);
	}

	/**
	 * @param user a user's index
	 * @param exclude items not to recommend
	 * @param k how many
	 * @return the user's top-k items
	 */
	int[] recommend(int user, boolean[] exclude, int k) {
		double[] scores = new double[this.data.items.length];
		boolean[] candidate = new boolean[scores.length];
		for (int n = 0; n < this.data.userItems[user].length; n++) {
			if (this.data.userPositives[user][n] <= 0) {
				continue;
			}
			int i = this.data.userItems[user][n];
			for (int t = 0; t < this.neighbours[i].length; t++) {
				int j = this.neighbours[i][t];
				scores[j] += this.similarities[i][t];
				candidate[j] = true;
			}
		}
		return TopK.of(scores, candidate, exclude, k);
	}

}
