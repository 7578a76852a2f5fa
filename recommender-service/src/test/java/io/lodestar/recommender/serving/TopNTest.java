package io.lodestar.recommender.serving;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The top-n selection equals a full sort, best first, earlier offers first on ties.
 */
class TopNTest {

	@Test
	void keepsTheBestInOrderAsAFullSortWould() {
		SplittableRandom random = new SplittableRandom(7);
		for (int round = 0; round < 200; round++) {
			int count = 1 + random.nextInt(300);
			int n = 1 + random.nextInt(20);
			float[] scores = new float[count];
			for (int i = 0; i < count; i++) {
				// few distinct values, so that ties are common
				scores[i] = random.nextInt(10);
			}
			TopN top = new TopN(n);
			for (int i = 0; i < count; i++) {
				top.offer(i, scores[i]);
			}
			int[] expected = IntStream.range(0, count)
				.boxed()
				.sorted((a, b) -> (scores[a] != scores[b]) ? Float.compare(scores[b], scores[a])
						: Integer.compare(a, b))
				.limit(n)
				.mapToInt(Integer::intValue)
				.toArray();
			int[] actual = IntStream.range(0, top.size()).map(top::index).toArray();
			assertThat(actual).containsExactly(expected);
		}
	}

}
