package io.lodestar.segment.segments;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SegmentPropertiesTest {

	@Test
	void aQueryWorkMemBelowPostgresMinimumIsRefusedAtStart() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(DataSize.ofKilobytes(63)))
			.withMessageContaining("query-work-mem is 63kB")
			.withMessageContaining("at least 64kB");
		assertThat(properties(DataSize.ofKilobytes(64)).queryWorkMem()).isEqualTo(DataSize.ofKilobytes(64));
		assertThat(properties(DataSize.ofMegabytes(64)).queryWorkMem().toKilobytes()).isEqualTo(65536);
	}

	private static SegmentProperties properties(DataSize queryWorkMem) {
		return new SegmentProperties("-", Duration.ofMillis(500), 10, (short) 1, 5000, queryWorkMem);
	}

}
