package io.lodestar.etl.streaming;

import java.util.HashSet;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileWriterLaneTest {

	private static final StructType IDENTITY = new StructType().add("userId", DataTypes.StringType)
		.add("anonymousId", DataTypes.StringType);

	private static final StructType ENVELOPE = new StructType().add("identity", IDENTITY);

	private static final StructType ROW = new StructType().add("envelope", ENVELOPE);

	@Test
	void laneFollowsThePartitionKeyUserIdFirst() {
		int lanes = 3;
		assertThat(ProfileWriter.lane(row("user-1", "anon-a"), lanes))
			.isEqualTo(ProfileWriter.lane(row("user-1", "anon-b"), lanes))
			.isEqualTo(Math.floorMod("user-1".hashCode(), lanes));
		assertThat(ProfileWriter.lane(row(null, "anon-a"), lanes)).isEqualTo(Math.floorMod("anon-a".hashCode(), lanes));
	}

	@Test
	void rowsWithoutAKeyGoToLaneZero() {
		assertThat(ProfileWriter.lane(new GenericRowWithSchema(new Object[] { null }, ROW), 3)).isZero();
		assertThat(ProfileWriter.lane(new GenericRowWithSchema(
				new Object[] { new GenericRowWithSchema(new Object[] { null }, ENVELOPE) }, ROW), 3))
			.isZero();
		assertThat(ProfileWriter.lane(row(null, null), 3)).isZero();
	}

	@Test
	void keysSpreadOverEveryLane() {
		Set<Integer> used = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			used.add(ProfileWriter.lane(row("user-" + i, null), 3));
		}
		assertThat(used).containsExactlyInAnyOrder(0, 1, 2);
	}

	private static Row row(String userId, String anonymousId) {
		Row identity = new GenericRowWithSchema(new Object[] { userId, anonymousId }, IDENTITY);
		return new GenericRowWithSchema(new Object[] { new GenericRowWithSchema(new Object[] { identity }, ENVELOPE) },
				ROW);
	}

}
