package io.lodestar.recommender.system;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * recommender-service settings, prefix {@code lodestar.recommender}.
 *
 * @param promotionPolicy how candidates become the serving version where a workspace has
 * not chosen: {@code if-better}, {@code always} or {@code manual}
 * @param repeatableCategories categories whose items may be recommended again after a
 * purchase (consumables), where a workspace has not chosen
 * @param pollInterval how often new candidates are looked for
 * @param reloadInterval how often the serving versions are compared with the models in
 * memory
 * @param catalogueRefresh how often each workspace's catalogue is checked for changes
 * @param popularityRefresh how often the popularity of workspaces without a model is
 * recomputed from their purchases
 * @param popularityWindow the purchases counted for that popularity, back from a
 * workspace's newest
 * @param purchaseOverlap how far before a model's training time purchases are read again
 * for exclusion (covers events that arrived late)
 * @param attributionWindow how long after an impression a purchase of a shown item counts
 * @param logFlushInterval how often answers waiting to be logged are written
 * @param logQueueCapacity answers waiting to be logged, at most (beyond: dropped and
 * counted)
 * @param erasureSweepInterval how often rows of profiles that no longer exist are removed
 * @param maxLimit the largest {@code limit} a request may ask for
 * @param keepFactors how many of a workspace's newest retired or rejected versions keep
 * their factors (to pin or roll back to); older ones keep their row and metrics only
 */
@ConfigurationProperties("lodestar.recommender")
public record RecommenderProperties(@DefaultValue("if-better") PromotionPolicy promotionPolicy,
		@DefaultValue List<String> repeatableCategories, @DefaultValue("30s") Duration pollInterval,
		@DefaultValue("5s") Duration reloadInterval, @DefaultValue("10s") Duration catalogueRefresh,
		@DefaultValue("10m") Duration popularityRefresh, @DefaultValue("90d") Duration popularityWindow,
		@DefaultValue("1d") Duration purchaseOverlap, @DefaultValue("7d") Duration attributionWindow,
		@DefaultValue("200ms") Duration logFlushInterval, @DefaultValue("100000") int logQueueCapacity,
		@DefaultValue("60s") Duration erasureSweepInterval, @DefaultValue("100") int maxLimit,
		@DefaultValue("10") int keepFactors) {

	/**
	 * How a candidate model version becomes the serving one.
	 */
	public enum PromotionPolicy {

		/** Promote when its ALS NDCG@k beats the serving version's, or nothing serves. */
		IF_BETTER("if-better"),

		/** Promote every candidate. */
		ALWAYS("always"),

		/** Promote only through the API. */
		MANUAL("manual");

		private final String code;

		PromotionPolicy(String code) {
			this.code = code;
		}

		public String code() {
			return this.code;
		}

		/**
		 * @param code {@code if-better}, {@code always} or {@code manual}
		 * @return the policy, or null when the code names none
		 */
		public static PromotionPolicy ofCode(String code) {
			for (PromotionPolicy policy : values()) {
				if (policy.code.equals(code)) {
					return policy;
				}
			}
			return null;
		}

	}

}
