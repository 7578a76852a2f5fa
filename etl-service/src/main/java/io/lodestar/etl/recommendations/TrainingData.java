package io.lodestar.etl.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.sql.Row;

/**
 * The ratings of one training set on the driver, with the version's stable integer ids:
 * profiles and items numbered in the order of their ids (the same data always gets the
 * same numbers).
 */
final class TrainingData {

	final String[] users;

	final String[] items;

	final Map<String, Integer> userIndex = new HashMap<>();

	final Map<String, Integer> itemIndex = new HashMap<>();

	/** per user: the items rated, their rating, their positive part, whether bought */
	final int[][] userItems;

	final float[][] userRatings;

	final float[][] userPositives;

	final boolean[][] userPurchased;

	/**
	 * per item: the sum of its positive ratings (the popularity baseline and fallback)
	 */
	final double[] popularity;

	final long interactions;

	/**
	 * @param rows profile_id, item_id, rating, positive, purchased
	 */
	TrainingData(List<Row> rows) {
		TreeSet<String> userIds = new TreeSet<>();
		TreeSet<String> itemIds = new TreeSet<>();
		for (Row row : rows) {
			userIds.add(row.getString(0));
			itemIds.add(row.getString(1));
		}
		this.users = userIds.toArray(new String[0]);
		this.items = itemIds.toArray(new String[0]);
		for (int i = 0; i < this.users.length; i++) {
			this.userIndex.put(this.users[i], i);
		}
		for (int i = 0; i < this.items.length; i++) {
			this.itemIndex.put(this.items[i], i);
		}
		List<List<Row>> byUser = new ArrayList<>(this.users.length);
		for (int i = 0; i < this.users.length; i++) {
			byUser.add(new ArrayList<>());
		}
		for (Row row : rows) {
			byUser.get(this.userIndex.get(row.getString(0))).add(row);
		}
		this.userItems = new int[this.users.length][];
		this.userRatings = new float[this.users.length][];
		this.userPositives = new float[this.users.length][];
		this.userPurchased = new boolean[this.users.length][];
		this.popularity = new double[this.items.length];
		for (int u = 0; u < this.users.length; u++) {
			List<Row> list = byUser.get(u);
			list.sort(
					(a, b) -> Integer.compare(this.itemIndex.get(a.getString(1)), this.itemIndex.get(b.getString(1))));
			this.userItems[u] = new int[list.size()];
			this.userRatings[u] = new float[list.size()];
			this.userPositives[u] = new float[list.size()];
			this.userPurchased[u] = new boolean[list.size()];
			for (int n = 0; n < list.size(); n++) {
				Row row = list.get(n);
				int item = this.itemIndex.get(row.getString(1));
				this.userItems[u][n] = item;
				this.userRatings[u][n] = (float) row.getDouble(2);
				this.userPositives[u][n] = (float) row.getDouble(3);
				this.userPurchased[u][n] = row.getBoolean(4);
				this.popularity[item] += row.getDouble(3);
			}
		}
		this.interactions = rows.size();
	}

	/**
	 * @param user a user's index
	 * @return the items the user bought (excluded from the user's recommendations)
	 */
	boolean[] purchasedMask(int user) {
		boolean[] mask = new boolean[this.items.length];
		for (int n = 0; n < this.userItems[user].length; n++) {
			if (this.userPurchased[user][n]) {
				mask[this.userItems[user][n]] = true;
			}
		}
		return mask;
	}

	/**
	 * @param user a user's index
	 * @return the ids of the items the user bought, sorted
	 */
	String[] purchasedIds(int user) {
		List<String> ids = new ArrayList<>();
		for (int n = 0; n < this.userItems[user].length; n++) {
			if (this.userPurchased[user][n]) {
				ids.add(this.items[this.userItems[user][n]]);
			}
		}
		String[] sorted = ids.toArray(new String[0]);
		Arrays.sort(sorted);
		return sorted;
	}

	/**
	 * The items by popularity, most popular first, ties by index.
	 */
	int[] byPopularity() {
		Integer[] order = new Integer[this.items.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> {
			int byScore = Double.compare(this.popularity[b], this.popularity[a]);
			return (byScore != 0) ? byScore : Integer.compare(a, b);
		});
		return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
	}

}
