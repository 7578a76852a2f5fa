package io.lodestar.recommender.serving;

import io.lodestar.recommender.model.LoadedModel;

/**
 * Items in order of popularity, most popular first.
 */
interface Ranking {

	Ranking EMPTY = new Ranking() {
		@Override
		public int size() {
			return 0;
		}

		@Override
		public String itemId(int rank) {
			throw new IndexOutOfBoundsException(rank);
		}

		@Override
		public double score(int rank) {
			throw new IndexOutOfBoundsException(rank);
		}
	};

	int size();

	String itemId(int rank);

	double score(int rank);

	/**
	 * @param model a model
	 * @return its items by their popularity in the training data
	 */
	static Ranking of(LoadedModel model) {
		int[] order = model.byPopularity();
		return new Ranking() {
			@Override
			public int size() {
				return order.length;
			}

			@Override
			public String itemId(int rank) {
				return model.itemId(order[rank]);
			}

			@Override
			public double score(int rank) {
				return model.popularity(order[rank]);
			}
		};
	}

	/**
	 * @param itemIds item ids, most popular first
	 * @param scores their popularity
	 * @return the ranking
	 */
	static Ranking of(String[] itemIds, double[] scores) {
		return new Ranking() {
			@Override
			public int size() {
				return itemIds.length;
			}

			@Override
			public String itemId(int rank) {
				return itemIds[rank];
			}

			@Override
			public double score(int rank) {
				return scores[rank];
			}
		};
	}

}
