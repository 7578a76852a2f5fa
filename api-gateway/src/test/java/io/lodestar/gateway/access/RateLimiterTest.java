package io.lodestar.gateway.access;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

	private final AtomicLong nanos = new AtomicLong();

	private final RateLimiter limiter = new RateLimiter(2, 3, this.nanos::get);

	@Test
	void aBurstPassesThenTheCallerWaitsForTheRefill() {
		assertThat(this.limiter.acquire("user:a")).isZero();
		assertThat(this.limiter.acquire("user:a")).isZero();
		assertThat(this.limiter.acquire("user:a")).isZero();
		assertThat(this.limiter.acquire("user:a")).isEqualTo(1);
		assertThat(this.limiter.acquire("user:b")).as("another caller has its own bucket").isZero();

		this.nanos.addAndGet(500_000_000L);
		assertThat(this.limiter.acquire("user:a")).isZero();
		assertThat(this.limiter.acquire("user:a")).isEqualTo(1);
	}

	@Test
	void theWaitCoversTheMissingTokens() {
		RateLimiter slow = new RateLimiter(1 / 60.0, 1, this.nanos::get);
		assertThat(slow.acquire("127.0.0.1")).isZero();
		assertThat(slow.acquire("127.0.0.1")).isEqualTo(60);
	}

}
