package io.lodestar.etl.recommendations;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The recommendation training's settings, prefix {@code lodestar.etl.recommendations}.
 *
 * @param source where the events come from: {@code lake} ({@code lodestar.cdp.events}) or
 * {@code timeline} ({@code profile.profile_event})
 * @param weights the weight of each signal
 * @param halfLife an interaction's weight halves every half-life before the end of the
 * training data (zero: no decay)
 * @param negativeWindow an item shown in a recommendation impression and neither clicked
 * nor bought within this window is a negative interaction
 * @param holdout the test period at the end of the data (train before, test after)
 * @param k the length of the evaluated recommendation lists
 * @param als ALS's hyper-parameters
 * @param grid the optional grid search on a validation split
 * @param purchaseEvents track events whose {@code products[]} are purchases
 * @param impressionListId the {@code list_id} of recommendation impressions
 * @param knnNeighbours neighbours kept per item by the item-kNN baseline
 * @param maxTestUsers the most hold-out customers evaluated (a seeded sample beyond)
 */
@ConfigurationProperties("lodestar.etl.recommendations")
public record RecommendationProperties(@DefaultValue("lake") String source, @DefaultValue Weights weights,
		@DefaultValue("90d") Duration halfLife, @DefaultValue("7d") Duration negativeWindow,
		@DefaultValue("30d") Duration holdout, @DefaultValue("10") int k, @DefaultValue Als als,
		@DefaultValue Grid grid, @DefaultValue( {
				"Order Completed", "Order Line Items" }) List<String> purchaseEvents,
		@DefaultValue("recommendations") String impressionListId, @DefaultValue("100") int knnNeighbours,
		@DefaultValue("20000") int maxTestUsers){

	public RecommendationProperties {
		if (!"lake".equals(source) && !"timeline".equals(source)) {
			throw new IllegalArgumentException("lodestar.etl.recommendations.source must be lake or timeline");
		}
		if (k < 1) {
			throw new IllegalArgumentException("lodestar.etl.recommendations.k must be at least 1");
		}
	}

	/**
	 * @param view a {@code Product Viewed}
	 * @param cart a {@code Product Added}
	 * @param purchase a purchased product (times {@code 1 + ln(quantity)})
	 * @param negative a shown-and-ignored impression (entered as {@code -negative})
	 */
	public record Weights(@DefaultValue("1") double view, @DefaultValue("3") double cart,
			@DefaultValue("5") double purchase, @DefaultValue("1") double negative) {
	}

	/**
	 * @param rank latent factors
	 * @param regParam L2 regularisation
	 * @param alpha confidence scale: {@code c = 1 + alpha * |r|}
	 * @param maxIter alternating iterations
	 * @param seed the random seed (fixed: reproducible models)
	 */
	public record Als(@DefaultValue("32") int rank, @DefaultValue("0.1") double regParam,
			@DefaultValue("5") double alpha, @DefaultValue("15") int maxIter, @DefaultValue("42") long seed) {
	}

	/**
	 * @param enabled whether a run tries the grid (or only the configured parameters)
	 * @param ranks ranks tried
	 * @param regParams regularisations tried
	 * @param alphas alphas tried
	 */
	public record Grid(@DefaultValue("false") boolean enabled, @DefaultValue( {
			"16", "32" }) List<Integer> ranks, @DefaultValue({ "0.05", "0.1" }) List<Double> regParams,
			@DefaultValue({ "2", "5", "10" }) List<Double> alphas){
	}

}
