package io.lodestar.recommender.serving;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.stereotype.Service;

import io.lodestar.recommender.catalogue.Catalogue;
import io.lodestar.recommender.catalogue.CatalogueItem;
import io.lodestar.recommender.feedback.RecommendationLog;
import io.lodestar.recommender.model.LoadedModel;
import io.lodestar.recommender.model.ModelRegistry;
import io.lodestar.recommender.settings.WorkspaceSettings;
import io.lodestar.recommender.system.RecommenderProperties;

/**
 * Builds answers from one model instance, one catalogue snapshot and the customer's
 * recent history:
 * <ul>
 * <li>a profile the model has factors for (itself or a profile merged into it): items by
 * ALS preference ({@code als});</li>
 * <li>a profile without factors (a new customer): the popular items of the categories
 * they bought, added or viewed ({@code popular-in-category}), then the popular items
 * ({@code popular});</li>
 * <li>similar items: items by the cosine of their factors ({@code als}); for an item
 * without factors (a new item), the popular items of its category, then the popular
 * ones;</li>
 * <li>popularity is the serving model's (training interactions) or, while no model
 * serves, the workspace's purchases ({@link EventPopularity}); no model and no purchases:
 * an empty list.</li>
 * </ul>
 * Every answer leaves out what the customer bought (the model's {@code purchased} plus
 * purchases since training) unless its category may repeat, and keeps to the filters.
 * Each answer is logged.
 */
@Service
class RecommendationService {

	/** How many of a new customer's categories the fallback draws on. */
	static final int PREFERRED_CATEGORIES = 3;

	private final ModelRegistry registry;

	private final Catalogue catalogue;

	private final WorkspaceSettings settings;

	private final CustomerHistory history;

	private final EventPopularity popularity;

	private final RecommendationLog log;

	private final RecommenderProperties properties;

	private final Clock clock = Clock.systemUTC();

	/** A score per item, reused by each request thread (no 15 KB garbage per answer). */
	private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

	/** The catalogue entries of each workspace's model items, by item index. */
	private final Map<String, Aligned> aligned = new ConcurrentHashMap<>();

	RecommendationService(ModelRegistry registry, Catalogue catalogue, WorkspaceSettings settings,
			CustomerHistory history, EventPopularity popularity, RecommendationLog log,
			RecommenderProperties properties) {
		this.registry = registry;
		this.catalogue = catalogue;
		this.settings = settings;
		this.history = history;
		this.popularity = popularity;
		this.log = log;
		this.properties = properties;
	}

	/**
	 * @param workspace the workspace
	 * @param resolve finds the profile, with the purchases it made since the time given
	 * (null: none needed)
	 * @param limit the most items
	 * @param filters the business filters
	 * @return the answer, or empty when the profile is unknown
	 */
	Optional<Answers.ProfileRecommendations> forProfile(String workspace,
			Function<Instant, Optional<ProfileResolver.Target>> resolve, int limit, Filters filters) {
		// one model instance for the whole answer, read once
		LoadedModel model = this.registry.current(workspace);
		Instant since = (model != null) ? model.trainedAt().minus(this.properties.purchaseOverlap()) : null;
		return resolve.apply(since).map((target) -> forProfile(workspace, model, target, limit, filters));
	}

	private Answers.ProfileRecommendations forProfile(String workspace, LoadedModel model,
			ProfileResolver.Target target, int limit, Filters filters) {
		Catalogue.Snapshot items = this.catalogue.of(workspace);
		WorkspaceSettings.Settings settings = this.settings.of(workspace);
		int user = -1;
		if (model != null) {
			user = model.userIndex(target.profileId());
			for (int m = 0; user < 0 && m < target.merged().size(); m++) {
				user = model.userIndex(target.merged().get(m));
			}
		}
		// the purchases since training came with the profile (see purchasesSince)
		CustomerHistory.History history = (user >= 0) ? new CustomerHistory.History(target.boughtSince(), Map.of())
				: this.history.recent(workspace, target.profileId());
		int[] boughtInTraining = (user >= 0) ? model.purchased(user) : new int[0];
		Picks picks = new Picks(limit, items, aligned(workspace, model, items), settings, filters, history.bought(),
				model, boughtInTraining, null);
		if (user >= 0) {
			float[] scores = scores(model.itemCount());
			model.scoreAll(user, scores);
			picks.best(scores, model.itemCount(), "als");
		}
		if (!picks.full()) {
			List<String> categories = (filters.category() != null) ? List.of(filters.categoryKey())
					: preferredCategories(history, items);
			picks.popular(ranking(workspace, model), categories, filters.category() == null);
		}
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		List<Answers.Item> answer = picks.items();
		logged(id, workspace, target.profileId(), null, model, answer, now);
		return new Answers.ProfileRecommendations(id, target.profileId(), (model != null) ? model.versionId() : null,
				now, answer);
	}

	/**
	 * @return null when neither the model, the catalogue nor the popularity knows the
	 * item
	 */
	Answers.SimilarItems similar(String workspace, String itemId, int limit, Filters filters) {
		LoadedModel model = this.registry.current(workspace);
		Catalogue.Snapshot items = this.catalogue.of(workspace);
		WorkspaceSettings.Settings settings = this.settings.of(workspace);
		int item = (model != null) ? model.itemIndex(itemId) : -1;
		Ranking ranking = ranking(workspace, model);
		if (item < 0 && !items.contains(itemId) && !ranked(ranking, itemId)) {
			return null;
		}
		Picks picks = new Picks(limit, items, aligned(workspace, model, items), settings, filters, Set.of(), model,
				new int[0], itemId);
		if (item >= 0) {
			float[] scores = scores(model.itemCount());
			model.cosineAll(item, scores);
			picks.best(scores, model.itemCount(), "als");
		}
		if (!picks.full()) {
			String own = items.categoryKey(itemId);
			List<String> categories = (filters.category() != null) ? List.of(filters.categoryKey())
					: (own != null) ? List.of(own) : List.of();
			picks.popular(ranking, categories, filters.category() == null);
		}
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		List<Answers.Item> answer = picks.items();
		logged(id, workspace, null, itemId, model, answer, now);
		return new Answers.SimilarItems(id, itemId, (model != null) ? model.versionId() : null, now, answer);
	}

	private static float[] scores(int count) {
		float[] scores = SCORES.get();
		if (scores.length < count) {
			scores = new float[count];
			SCORES.set(scores);
		}
		return scores;
	}

	/**
	 * The catalogue entries of the model's items by index, built once per model and
	 * catalogue snapshot (lookups by index on the hot path instead of by id).
	 */
	private Aligned aligned(String workspace, LoadedModel model, Catalogue.Snapshot items) {
		if (model == null) {
			// no model serves any more: let the last one's arrays go
			this.aligned.remove(workspace);
			return null;
		}
		Aligned current = this.aligned.get(workspace);
		if (current != null && current.model() == model && current.catalogue() == items) {
			return current;
		}
		CatalogueItem[] entries = new CatalogueItem[model.itemCount()];
		String[] categoryKeys = new String[model.itemCount()];
		for (int i = 0; i < entries.length; i++) {
			entries[i] = items.item(model.itemId(i));
			categoryKeys[i] = items.categoryKey(model.itemId(i));
		}
		Aligned built = new Aligned(model, items, entries, categoryKeys);
		this.aligned.put(workspace, built);
		return built;
	}

	private record Aligned(LoadedModel model, Catalogue.Snapshot catalogue, CatalogueItem[] entries,
			String[] categoryKeys) {
	}

	private Ranking ranking(String workspace, LoadedModel model) {
		return (model != null) ? Ranking.of(model) : this.popularity.of(workspace);
	}

	private static boolean ranked(Ranking ranking, String itemId) {
		for (int r = 0; r < ranking.size(); r++) {
			if (ranking.itemId(r).equals(itemId)) {
				return true;
			}
		}
		return false;
	}

	/** A new customer's categories, by the weight of what they did with their items. */
	private static List<String> preferredCategories(CustomerHistory.History history, Catalogue.Snapshot items) {
		Map<String, Integer> weights = new HashMap<>();
		history.touched().forEach((item, weight) -> {
			String key = items.categoryKey(item);
			if (key == null) {
				key = WorkspaceSettings.Settings.key(history.eventCategories().get(item));
			}
			if (key != null) {
				weights.merge(key, weight, Integer::sum);
			}
		});
		return weights.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(PREFERRED_CATEGORIES)
			.map(Map.Entry::getKey)
			.toList();
	}

	private void logged(UUID id, String workspace, UUID profileId, String anchorItemId, LoadedModel model,
			List<Answers.Item> items, Instant now) {
		this.log.record(new RecommendationLog.Entry(id, workspace, profileId, anchorItemId,
				(model != null) ? model.versionId() : null,
				items.stream().map(Answers.Item::itemId).toArray(String[]::new),
				items.stream().map(Answers.Item::reason).toArray(String[]::new), now));
	}

	/**
	 * The answer being assembled: which items qualify (filters, exclusions, not yet
	 * picked, not the anchor item) and the picks in order.
	 */
	private static final class Picks {

		private final int limit;

		private final Catalogue.Snapshot catalogue;

		private final Aligned aligned;

		private final WorkspaceSettings.Settings settings;

		private final Filters filters;

		private final Set<String> boughtSince;

		private final LoadedModel model;

		private final int[] boughtInTraining;

		private final String anchor;

		private final Map<String, Answers.Item> picked = new LinkedHashMap<>();

		Picks(int limit, Catalogue.Snapshot catalogue, Aligned aligned, WorkspaceSettings.Settings settings,
				Filters filters, Set<String> boughtSince, LoadedModel model, int[] boughtInTraining, String anchor) {
			this.limit = limit;
			this.catalogue = catalogue;
			this.aligned = aligned;
			this.settings = settings;
			this.filters = filters;
			this.boughtSince = boughtSince;
			this.model = model;
			this.boughtInTraining = boughtInTraining;
			this.anchor = anchor;
		}

		boolean full() {
			return this.picked.size() >= this.limit;
		}

		/**
		 * @param index the item's index in the model, or -1 when it has none
		 */
		private boolean qualifies(String itemId, int index) {
			if (this.picked.containsKey(itemId) || itemId.equals(this.anchor)) {
				return false;
			}
			boolean byIndex = index >= 0 && this.aligned != null;
			CatalogueItem item = byIndex ? this.aligned.entries()[index] : this.catalogue.item(itemId);
			String categoryKey = byIndex ? this.aligned.categoryKeys()[index] : this.catalogue.categoryKey(itemId);
			if (!this.filters.accepts(item, categoryKey)) {
				return false;
			}
			boolean bought = this.boughtSince.contains(itemId)
					|| (index >= 0 && Arrays.binarySearch(this.boughtInTraining, index) >= 0);
			return !bought || this.settings.repeatable(item.category());
		}

		/** The best-scored qualifying items of the model. */
		void best(float[] scores, int count, String reason) {
			TopN top = new TopN(this.limit - this.picked.size());
			for (int i = 0; i < count; i++) {
				if (top.admits(scores[i]) && qualifies(this.model.itemId(i), i)) {
					top.offer(i, scores[i]);
				}
			}
			for (int r = 0; r < top.size(); r++) {
				add(this.model.itemId(top.index(r)), top.score(r), reason);
			}
		}

		/**
		 * The most popular qualifying items of each category in turn, then (if asked) of
		 * all.
		 */
		void popular(Ranking ranking, List<String> categories, boolean thenAll) {
			Set<String> wanted = new HashSet<>(categories);
			for (String category : categories) {
				for (int r = 0; r < ranking.size() && !full(); r++) {
					String itemId = ranking.itemId(r);
					if (category.equals(this.catalogue.categoryKey(itemId)) && qualifies(itemId, index(itemId))) {
						add(itemId, ranking.score(r), "popular-in-category");
					}
				}
			}
			if (thenAll) {
				for (int r = 0; r < ranking.size() && !full(); r++) {
					String itemId = ranking.itemId(r);
					if (qualifies(itemId, index(itemId))) {
						add(itemId, ranking.score(r), wanted.contains(this.catalogue.categoryKey(itemId))
								? "popular-in-category" : "popular");
					}
				}
			}
		}

		private int index(String itemId) {
			return (this.model != null) ? this.model.itemIndex(itemId) : -1;
		}

		private void add(String itemId, double score, String reason) {
			CatalogueItem item = this.catalogue.item(itemId);
			this.picked.put(itemId, new Answers.Item(this.picked.size() + 1, itemId, Math.round(score * 1e6) / 1e6,
					reason, item.name(), item.category(), item.brand(), item.price()));
		}

		List<Answers.Item> items() {
			return new ArrayList<>(this.picked.values());
		}

	}

}
