package io.lodestar.recommender.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The in-memory model: dot products, cosines on precomputed norms, the popularity order
 * and leaving erased users out without touching the instance in use.
 */
class LoadedModelTest {

	private final UUID alice = UUID.randomUUID();

	private final UUID bob = UUID.randomUUID();

	private final LoadedModel model = new LoadedModel("w", UUID.randomUUID(), Instant.now(), 2,
			new String[] { "a", "b", "c" }, new float[] { 1, 0, 3, 4, 0, 0 }, new double[] { 1, 5, 5 },
			new UUID[] { this.alice, this.bob }, new float[] { 1, 2, -1, 0.5f }, new int[][] { { 1 }, {} });

	@Test
	void scoresAreDotProductsAndSimilaritiesCosines() {
		float[] scores = new float[3];
		this.model.scoreAll(this.model.userIndex(this.alice), scores);
		assertThat(scores).containsExactly(1, 11, 0);
		this.model.scoreAll(this.model.userIndex(this.bob), scores);
		assertThat(scores).containsExactly(-1, -1, 0);
		this.model.cosineAll(this.model.itemIndex("a"), scores);
		assertThat(scores[0]).isCloseTo(1, within(1e-6f));
		assertThat(scores[1]).isCloseTo(0.6f, within(1e-6f));
		// an item without any factor is similar to nothing
		assertThat(scores[2]).isZero();
	}

	@Test
	void popularityOrderBreaksTiesByItemId() {
		assertThat(this.model.byPopularity()).containsExactly(1, 2, 0);
		assertThat(this.model.itemIndex("nope")).isEqualTo(-1);
		assertThat(this.model.purchased(this.model.userIndex(this.alice))).containsExactly(1);
	}

	@Test
	void erasedUsersLeaveACopyAndTheInstanceInUseStaysWhole() {
		LoadedModel without = this.model.without(List.of(this.alice, UUID.randomUUID()));
		assertThat(without.userIndex(this.alice)).isEqualTo(-1);
		assertThat(without.userCount()).isEqualTo(1);
		float[] scores = new float[3];
		without.scoreAll(without.userIndex(this.bob), scores);
		assertThat(scores).containsExactly(-1, -1, 0);
		assertThat(this.model.userIndex(this.alice)).isNotNegative();
		assertThat(this.model.without(List.of(UUID.randomUUID()))).isSameAs(this.model);
	}

}
