package io.lodestar.recommender.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One model version in memory, immutable: item factors in one float array, factor-major
 * (all items' first factor, then all items' second …, so that scoring every item runs
 * over contiguous memory the JIT vectorises) with their norms precomputed, user factors
 * in one row-major float array, the items each user had bought by the end of training (as
 * item indices), and the items in order of popularity. A request reads one instance from
 * start to end, so a reload never mixes versions within an answer.
 */
public final class LoadedModel {

	private final String workspace;

	private final UUID versionId;

	private final Instant trainedAt;

	private final int rank;

	private final String[] itemIds;

	private final Map<String, Integer> itemIndex;

	/** Row-major as loaded ({@code rank} per item), kept for copies. */
	private final float[] itemFactors;

	/** Factor-major: factor f of item i at {@code f * items + i}. */
	private final float[] itemFactorsByFactor;

	private final float[] itemNorms;

	private final double[] popularity;

	private final int[] byPopularity;

	private final Map<UUID, Integer> userIndex;

	private final float[] userFactors;

	private final int[][] purchased;

	LoadedModel(String workspace, UUID versionId, Instant trainedAt, int rank, String[] itemIds, float[] itemFactors,
			double[] popularity, UUID[] users, float[] userFactors, int[][] purchased) {
		this.workspace = workspace;
		this.versionId = versionId;
		this.trainedAt = trainedAt;
		this.rank = rank;
		this.itemIds = itemIds;
		this.itemFactors = itemFactors;
		this.popularity = popularity;
		this.userFactors = userFactors;
		this.purchased = purchased;
		this.itemIndex = new HashMap<>(itemIds.length * 2);
		for (int i = 0; i < itemIds.length; i++) {
			this.itemIndex.put(itemIds[i], i);
		}
		int count = itemIds.length;
		this.itemFactorsByFactor = new float[itemFactors.length];
		for (int i = 0; i < count; i++) {
			for (int f = 0; f < rank; f++) {
				this.itemFactorsByFactor[f * count + i] = itemFactors[i * rank + f];
			}
		}
		this.itemNorms = new float[itemIds.length];
		for (int i = 0; i < itemIds.length; i++) {
			double sum = 0;
			for (int f = 0, at = i * rank; f < rank; f++, at++) {
				sum += (double) itemFactors[at] * itemFactors[at];
			}
			this.itemNorms[i] = (float) Math.sqrt(sum);
		}
		this.byPopularity = popularityOrder(itemIds, popularity);
		this.userIndex = new HashMap<>(users.length * 2);
		for (int u = 0; u < users.length; u++) {
			this.userIndex.put(users[u], u);
		}
	}

	/** Most popular first; ties by item id, so the order is stable. */
	private static int[] popularityOrder(String[] itemIds, double[] popularity) {
		return java.util.stream.IntStream.range(0, itemIds.length).boxed().sorted((a, b) -> {
			int byScore = Double.compare(popularity[b], popularity[a]);
			return (byScore != 0) ? byScore : itemIds[a].compareTo(itemIds[b]);
		}).mapToInt(Integer::intValue).toArray();
	}

	/**
	 * The same model without some users' rows (their profiles were erased).
	 * @param erased the profiles to leave out
	 * @return a new instance, or this one when none of them is in it
	 */
	LoadedModel without(Collection<UUID> erased) {
		Set<UUID> gone = new HashSet<>(erased);
		gone.retainAll(this.userIndex.keySet());
		if (gone.isEmpty()) {
			return this;
		}
		int kept = this.userIndex.size() - gone.size();
		UUID[] users = new UUID[kept];
		float[] factors = new float[kept * this.rank];
		int[][] bought = new int[kept][];
		int next = 0;
		for (Map.Entry<UUID, Integer> user : this.userIndex.entrySet()) {
			if (gone.contains(user.getKey())) {
				continue;
			}
			int from = user.getValue();
			users[next] = user.getKey();
			System.arraycopy(this.userFactors, from * this.rank, factors, next * this.rank, this.rank);
			bought[next] = this.purchased[from];
			next++;
		}
		return new LoadedModel(this.workspace, this.versionId, this.trainedAt, this.rank, this.itemIds,
				this.itemFactors, this.popularity, users, factors, bought);
	}

	public String workspace() {
		return this.workspace;
	}

	public UUID versionId() {
		return this.versionId;
	}

	public Instant trainedAt() {
		return this.trainedAt;
	}

	public int rank() {
		return this.rank;
	}

	public int itemCount() {
		return this.itemIds.length;
	}

	public int userCount() {
		return this.userIndex.size();
	}

	public String itemId(int index) {
		return this.itemIds[index];
	}

	/**
	 * @param itemId an item id
	 * @return its index in this model, or -1 when the model has no factors for it
	 */
	public int itemIndex(String itemId) {
		Integer index = this.itemIndex.get(itemId);
		return (index != null) ? index : -1;
	}

	/**
	 * @param profileId a profile id
	 * @return its index in this model, or -1 when the model has no factors for it
	 */
	public int userIndex(UUID profileId) {
		Integer index = this.userIndex.get(profileId);
		return (index != null) ? index : -1;
	}

	public double popularity(int item) {
		return this.popularity[item];
	}

	/**
	 * @return item indices, most popular first (do not modify)
	 */
	public int[] byPopularity() {
		return this.byPopularity;
	}

	/**
	 * @param user a user index
	 * @return the item indices the user had bought by the end of training, sorted
	 */
	public int[] purchased(int user) {
		return this.purchased[user];
	}

	/**
	 * The predicted preference of a user for every item: the dot product of their
	 * factors.
	 * @param user a user index
	 * @param scores receives one score per item
	 */
	public void scoreAll(int user, float[] scores) {
		int count = this.itemIds.length;
		float[] items = this.itemFactorsByFactor;
		int u = user * this.rank;
		java.util.Arrays.fill(scores, 0, count, 0f);
		// factor by factor over all items: independent lanes, the same order of additions
		// per item as a dot product
		for (int f = 0; f < this.rank; f++) {
			float weight = this.userFactors[u + f];
			int base = f * count;
			for (int i = 0; i < count; i++) {
				scores[i] += items[base + i] * weight;
			}
		}
	}

	/**
	 * The cosine similarity of an item's factors with every item's; items with all-zero
	 * factors score 0.
	 * @param item an item index
	 * @param scores receives one score per item
	 */
	public void cosineAll(int item, float[] scores) {
		int count = this.itemIds.length;
		float[] items = this.itemFactorsByFactor;
		java.util.Arrays.fill(scores, 0, count, 0f);
		for (int f = 0; f < this.rank; f++) {
			float weight = items[f * count + item];
			int base = f * count;
			for (int i = 0; i < count; i++) {
				scores[i] += items[base + i] * weight;
			}
		}
		float norm = this.itemNorms[item];
		for (int i = 0; i < count; i++) {
			float denominator = norm * this.itemNorms[i];
			scores[i] = (denominator > 0) ? scores[i] / denominator : 0;
		}
	}

	@Override
	public String toString() {
		return "LoadedModel[" + this.workspace + " " + this.versionId + ", " + this.itemIds.length + " items, "
				+ this.userIndex.size() + " users, rank " + this.rank + "]";
	}

	static int[] sortedDistinct(int[] values) {
		int[] sorted = values.clone();
		Arrays.sort(sorted);
		return Arrays.stream(sorted).distinct().toArray();
	}

}
