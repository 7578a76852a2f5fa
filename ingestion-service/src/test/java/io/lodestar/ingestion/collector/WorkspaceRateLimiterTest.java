package io.lodestar.ingestion.collector;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceRateLimiterTest {

	private final AtomicLong millis = new AtomicLong(1_000_000);

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(WorkspaceRateLimiterTest.this.millis.get());
		}

		@Override
		public long millis() {
			return WorkspaceRateLimiterTest.this.millis.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	};

	@Test
	void allowsTheBurstThenAsksToWaitForTheMissingTokens() {
		WorkspaceRateLimiter limiter = new WorkspaceRateLimiter(100, 500, this.clock);

		assertThat(limiter.acquire("ws", 500)).isZero();
		assertThat(limiter.acquire("ws", 250)).isEqualTo(3);
		this.millis.addAndGet(2_500);
		assertThat(limiter.acquire("ws", 250)).isZero();
	}

	@Test
	void workspacesHaveTheirOwnBuckets() {
		WorkspaceRateLimiter limiter = new WorkspaceRateLimiter(10, 10, this.clock);

		assertThat(limiter.acquire("a", 10)).isZero();
		assertThat(limiter.acquire("a", 1)).isEqualTo(1);
		assertThat(limiter.acquire("b", 10)).isZero();
	}

	@Test
	void aRequestLargerThanTheBurstWaitsOnlyForAFullBucket() {
		WorkspaceRateLimiter limiter = new WorkspaceRateLimiter(100, 200, this.clock);
		limiter.acquire("ws", 200);

		assertThat(limiter.acquire("ws", 1000)).isEqualTo(2);
		this.millis.addAndGet(2_000);
		assertThat(limiter.acquire("ws", 1000)).as("a full bucket lets it through").isZero();
		assertThat(limiter.acquire("ws", 1)).as("and the debt is paid by waiting").isEqualTo(9);
	}

	@Test
	void zeroRateMeansUnlimited() {
		WorkspaceRateLimiter limiter = new WorkspaceRateLimiter(0, 0, this.clock);

		assertThat(limiter.acquire("ws", 1_000_000)).isZero();
	}

}
