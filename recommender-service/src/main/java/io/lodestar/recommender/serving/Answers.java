package io.lodestar.recommender.serving;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the serving endpoints answer.
 */
final class Answers {

	private Answers() {
	}

	/**
	 * @param recommendationId the answer's id: send it back with impression and click
	 * events
	 * @param profileId the profile the answer is for (the survivor, when the id asked for
	 * was merged away)
	 * @param versionId the model version that answered, null when none serves yet
	 * @param generatedAt when
	 * @param items best first
	 */
	record ProfileRecommendations(UUID recommendationId, UUID profileId, UUID versionId, Instant generatedAt,
			List<Item> items) {
	}

	/**
	 * @param recommendationId the answer's id
	 * @param itemId the item asked about
	 * @param versionId the model version that answered, null when none serves yet
	 * @param generatedAt when
	 * @param items most similar first
	 */
	record SimilarItems(UUID recommendationId, String itemId, UUID versionId, Instant generatedAt, List<Item> items) {
	}

	/**
	 * @param position 1-based, as impression events report it
	 * @param itemId the item
	 * @param score on the reason's own scale: the ALS preference (dot product of factors)
	 * for a profile, the cosine of factors for similar items, the popularity otherwise
	 * @param reason {@code als}, {@code popular-in-category} or {@code popular}
	 * @param name from the catalogue, or null
	 * @param category from the catalogue, or null
	 * @param brand from the catalogue, or null
	 * @param price from the catalogue, or null
	 */
	record Item(int position, String itemId, double score, String reason, String name, String category, String brand,
			BigDecimal price) {
	}

}
