package io.lodestar.recommender.model;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.recommender.system.RecommenderProperties.PromotionPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promotion rules on their own: if-better compares the ALS NDCG@k, always and manual
 * do not look, and a pinned serving version makes every candidate wait.
 */
class PromotionDecisionTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void ifBetterPromotesOnlyAStrictlyBetterNdcgOrWhenNothingServes() {
		ModelVersions.Version serving = version("{\"k\":10,\"als\":{\"ndcg\":0.25}}", false);
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":0.26}}", serving, PromotionPolicy.IF_BETTER).outcome())
			.isEqualTo(ModelVersions.Outcome.PROMOTE);
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":0.25}}", serving, PromotionPolicy.IF_BETTER).outcome())
			.isEqualTo(ModelVersions.Outcome.REJECT);
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":0.1}}", null, PromotionPolicy.IF_BETTER).outcome())
			.isEqualTo(ModelVersions.Outcome.PROMOTE);
		assertThat(decide("{\"k\":10,\"als\":{}}", null, PromotionPolicy.IF_BETTER))
			.satisfies((decision) -> assertThat(decision.outcome()).isEqualTo(ModelVersions.Outcome.REJECT))
			.satisfies((decision) -> assertThat(decision.reason()).contains("no als.ndcg"));
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":\"high\"}}", serving, PromotionPolicy.IF_BETTER).outcome())
			.isEqualTo(ModelVersions.Outcome.REJECT);
		// a serving version without the metric cannot be beaten, so it is replaced
		assertThat(
				decide("{\"k\":10,\"als\":{\"ndcg\":0.01}}", version("{}", false), PromotionPolicy.IF_BETTER).outcome())
			.isEqualTo(ModelVersions.Outcome.PROMOTE);
		// a different k is said in the decision
		assertThat(decide("{\"k\":5,\"als\":{\"ndcg\":0.3}}", serving, PromotionPolicy.IF_BETTER).reason())
			.contains("NDCG@5 0.3000 vs 0.2500", "(NDCG@10)");
	}

	@Test
	void alwaysAndManualDoNotCompareAndAPinMakesEveryCandidateWait() {
		ModelVersions.Version better = version("{\"k\":10,\"als\":{\"ndcg\":0.9}}", false);
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":0.1}}", better, PromotionPolicy.ALWAYS).outcome())
			.isEqualTo(ModelVersions.Outcome.PROMOTE);
		assertThat(decide("{\"k\":10,\"als\":{\"ndcg\":0.99}}", better, PromotionPolicy.MANUAL).outcome())
			.isEqualTo(ModelVersions.Outcome.WAIT);
		ModelVersions.Version pinned = version("{\"k\":10,\"als\":{\"ndcg\":0.1}}", true);
		for (PromotionPolicy policy : PromotionPolicy.values()) {
			ModelVersions.Decision decision = decide("{\"k\":10,\"als\":{\"ndcg\":0.99}}", pinned, policy);
			assertThat(decision.outcome()).isEqualTo(ModelVersions.Outcome.WAIT);
			assertThat(decision.reason()).contains("is pinned");
		}
	}

	private static ModelVersions.Decision decide(String metrics, ModelVersions.Version serving,
			PromotionPolicy policy) {
		return ModelVersions.decision(version(metrics, false), serving, policy);
	}

	private static ModelVersions.Version version(String metrics, boolean pinned) {
		return new ModelVersions.Version(UUID.randomUUID(), "w", Instant.now(), pinned ? "serving" : "candidate",
				pinned, null, null, JSON.readTree("{}"), JSON.readTree(metrics), null, 0, 0, 0, 0);
	}

}
