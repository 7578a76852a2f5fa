package io.lodestar.recommender.serving;

/**
 * The n best (index, score) pairs offered, best first; on equal scores the one offered
 * first stays ahead.
 */
final class TopN {

	private final int[] indices;

	private final float[] scores;

	private int size;

	TopN(int n) {
		this.indices = new int[n];
		this.scores = new float[n];
	}

	/**
	 * @param score a score
	 * @return whether an item of this score would enter (cheap test before the filters)
	 */
	boolean admits(float score) {
		return this.size < this.indices.length || score > this.scores[this.size - 1];
	}

	void offer(int index, float score) {
		if (!admits(score)) {
			return;
		}
		int at = (this.size < this.indices.length) ? this.size++ : this.size - 1;
		while (at > 0 && this.scores[at - 1] < score) {
			this.indices[at] = this.indices[at - 1];
			this.scores[at] = this.scores[at - 1];
			at--;
		}
		this.indices[at] = index;
		this.scores[at] = score;
	}

	int size() {
		return this.size;
	}

	int index(int rank) {
		return this.indices[rank];
	}

	float score(int rank) {
		return this.scores[rank];
	}

}
