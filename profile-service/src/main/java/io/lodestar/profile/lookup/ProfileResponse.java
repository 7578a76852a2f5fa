package io.lodestar.profile.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The profile document.
 *
 * @param profileId the profile's id
 * @param mergedFrom the id that was asked for when it belonged to a profile since merged
 * into this one; absent otherwise
 * @param workspaceId its workspace
 * @param userId the known person's id, if any
 * @param identities every identifier that resolves to it
 * @param traits the traits (identify), latest value per key
 * @param computed traits the pipeline computes
 * @param consent the latest consent decision per purpose (purposes never decided are
 * absent)
 * @param ltv the latest lifetime-value prediction, if any
 * @param segments the segments it is a member of
 * @param rfm its RFM tier and scores, if any
 * @param merges its merge history: the profiles merged into it, newest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileResponse(UUID profileId, UUID mergedFrom, String workspaceId, String userId,
		List<IdentityResponse> identities, Map<String, Object> traits, Computed computed,
		Map<String, ConsentState> consent, Ltv ltv, List<SegmentMembership> segments, Rfm rfm, List<Merge> merges) {

	/** The parts of the document a caller can ask for with {@code ?fields=}. */
	public static final Set<String> FIELDS = Set.of("identities", "traits", "computed", "consent", "ltv", "segments",
			"rfm", "merges");

	/**
	 * This document with only the named parts (ids are always kept).
	 * @param fields a subset of {@link #FIELDS}
	 * @return the sparse document
	 */
	public ProfileResponse only(Set<String> fields) {
		return new ProfileResponse(this.profileId, this.mergedFrom, this.workspaceId, this.userId,
				fields.contains("identities") ? this.identities : null, fields.contains("traits") ? this.traits : null,
				fields.contains("computed") ? this.computed : null, fields.contains("consent") ? this.consent : null,
				fields.contains("ltv") ? this.ltv : null, fields.contains("segments") ? this.segments : null,
				fields.contains("rfm") ? this.rfm : null, fields.contains("merges") ? this.merges : null);
	}

	/**
	 * A profile merged into this one (and every profile merged into that, as each record
	 * points at the final survivor).
	 *
	 * @param profileId the merged-away profile's id, which still resolves here
	 * @param reason why ({@code anonymous_identified}, {@code matched_<kind>},
	 * {@code batch_recompute})
	 * @param mergedAt when
	 */
	public record Merge(UUID profileId, String reason, Instant mergedAt) {
	}

	/**
	 * RFM value tier (etl-service's RFM job: quintile scores, k-means tiers).
	 *
	 * @param tier e.g. Champions, Potential loyalists, Lost
	 * @param recencyDays days from the last purchase to the data's last day
	 * @param frequency purchase days
	 * @param monetary total spent
	 * @param recencyScore 1-5, 5 most recent
	 * @param frequencyScore 1-5
	 * @param monetaryScore 1-5
	 * @param computedAt when the run computed it
	 */
	public record Rfm(String tier, int recencyDays, int frequency, double monetary, int recencyScore,
			int frequencyScore, int monetaryScore, Instant computedAt) {
	}

	/**
	 * @param segmentId the segment
	 * @param name its name
	 * @param enteredAt when the profile entered it
	 */
	public record SegmentMembership(UUID segmentId, String name, Instant enteredAt) {
	}

	/**
	 * Lifetime-value predictions (BG/NBD + Gamma-Gamma, see profile-service's README).
	 *
	 * @param modelId the fit they come from
	 * @param fittedAt when it was fitted
	 * @param purchases purchase days observed
	 * @param probabilityAlive the probability the customer still buys
	 * @param expectedPurchases30 expected purchases in the next 30 days
	 * @param expectedPurchases90 in the next 90 days
	 * @param expectedPurchases365 in the next 365 days
	 * @param expectedAverageSpend expected value of a future purchase
	 * @param predictedSpend365 expected spend in the next 365 days (undiscounted)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Ltv(UUID modelId, Instant fittedAt, int purchases, double probabilityAlive,
			double expectedPurchases30, double expectedPurchases90, double expectedPurchases365,
			Double expectedAverageSpend, Double predictedSpend365) {
	}

	/**
	 * @param granted whether the person agreed to this purpose
	 * @param source where the decision came from (a consent banner, a preference centre
	 * …)
	 * @param recordedAt when the person decided
	 */
	public record ConsentState(boolean granted, String source, Instant recordedAt) {
	}

	/**
	 * @param kind the identifier kind ({@code user_id}, {@code anonymous_id},
	 * {@code email_sha256} …)
	 * @param value the identifier
	 * @param firstSeenAt first event with it
	 * @param lastSeenAt last event with it
	 */
	public record IdentityResponse(String kind, String value, Instant firstSeenAt, Instant lastSeenAt) {
	}

	/**
	 * Traits the pipeline computes (event counts from {@code profile_event_count}, the
	 * rest from etl-service's {@code profile_computed}).
	 *
	 * @param firstSeenAt the first event's time
	 * @param lastSeenAt the last event's time
	 * @param eventCount all events
	 * @param eventCountsByType events per type (track, identify, page …)
	 * @param trackEventCounts track events per event name
	 * @param sessions sessions (track, page and screen events more than 30 minutes apart
	 * start a new one)
	 * @param orders purchase events
	 * @param revenue their revenue, summed as sent
	 * @param averageOrderValue revenue / orders, absent without orders
	 * @param firstPurchaseAt the first purchase, if any
	 * @param lastPurchaseAt the last purchase, if any
	 * @param daysSinceLastPurchase whole days from the last purchase to now
	 * @param favouriteCategory the category bought most (units, then revenue)
	 * @param favouriteBrand the brand bought most
	 * @param acquisition the earliest campaign touch, if any
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Computed(Instant firstSeenAt, Instant lastSeenAt, long eventCount,
			Map<String, Long> eventCountsByType, Map<String, Long> trackEventCounts, long sessions, long orders,
			double revenue, Double averageOrderValue, Instant firstPurchaseAt, Instant lastPurchaseAt,
			Integer daysSinceLastPurchase, String favouriteCategory, String favouriteBrand, Acquisition acquisition) {
	}

	/**
	 * Where the person first came from: the earliest campaign touch.
	 *
	 * @param source utm source (or the click id's platform)
	 * @param medium utm medium
	 * @param campaign utm campaign
	 * @param channel the default channel grouping (Paid Search, Paid Social, Email …)
	 * @param acquiredAt the touch's time
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Acquisition(String source, String medium, String campaign, String channel, Instant acquiredAt) {
	}

}
