package io.lodestar.ingestion.connector.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RetrierTest {

	private final List<Duration> waits = new ArrayList<>();

	private final Sleeper recording = this.waits::add;

	private final Retrier retrier = new Retrier(5, Duration.ofSeconds(1), Duration.ofSeconds(60), this.recording,
			new SplittableRandom(42));

	@Test
	void retryAfterIsHonouredExactly() throws Exception {
		Deque<Throttle> throttles = new ArrayDeque<>(List.of(Throttle.retryAfter(Duration.ofSeconds(7), "429"),
				Throttle.retryAfter(Duration.ofMinutes(3), "429")));

		String result = this.retrier.call(() -> {
			if (!throttles.isEmpty()) {
				throw new ThrottledException(throttles.pop());
			}
			return "ok";
		});

		assertThat(result).isEqualTo("ok");
		assertThat(this.waits).containsExactly(Duration.ofSeconds(7), Duration.ofMinutes(3));
		assertThat(this.retrier.retries()).isEqualTo(2);
	}

	@Test
	void transientLimitsBackOffExponentiallyWithJitterUnderTheCap() {
		assertThatExceptionOfType(ThrottledException.class).isThrownBy(() -> this.retrier.call(() -> {
			throw new ThrottledException(Throttle.transientLimit("code 17"));
		}));

		assertThat(this.waits).hasSize(4);
		for (int attempt = 0; attempt < this.waits.size(); attempt++) {
			assertThat(this.waits.get(attempt)).isBetween(Duration.ZERO, Duration.ofSeconds(1L << attempt));
		}
		assertThat(this.retrier.retries()).isEqualTo(4);
	}

	@Test
	void jitterSpreadsWaitsAndTheCapHolds() {
		Retrier capped = new Retrier(3, Duration.ofSeconds(10), Duration.ofSeconds(15), this.recording,
				new SplittableRandom(7));
		List<Duration> third = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			third.add(capped.waitFor(Throttle.transientLimit("x"), 5));
		}

		assertThat(third).allSatisfy((wait) -> assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(15)));
		assertThat(third.stream().distinct().count()).isGreaterThan(100);
	}

	@Test
	void dailyQuotaStopsAtOnceUntilTheReset() {
		Instant reset = Instant.parse("2026-11-25T08:00:00Z");
		int[] calls = { 0 };

		assertThatExceptionOfType(QuotaExhaustedException.class).isThrownBy(() -> this.retrier.call(() -> {
			calls[0]++;
			throw new ThrottledException(Throttle.dailyQuota(reset, "tokens per day"));
		})).satisfies((ex) -> assertThat(ex.resumeAt()).isEqualTo(reset));

		assertThat(calls[0]).isEqualTo(1);
		assertThat(this.waits).isEmpty();
	}

	@Test
	void otherErrorsAreNotRetried() {
		int[] calls = { 0 };

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.retrier.call(() -> {
			calls[0]++;
			throw new IllegalStateException("boom");
		}));

		assertThat(calls[0]).isEqualTo(1);
	}

	@Test
	void retryAfterHeaderReadsSecondsAndHttpDates() {
		Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

		assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofMinutes(2));
		assertThat(RetryAfter.parse("2.0", clock)).contains(Duration.ofSeconds(2));
		assertThat(RetryAfter.parse("Tue, 24 Nov 2026 12:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
		assertThat(RetryAfter.parse("Tue, 24 Nov 2026 11:00:00 GMT", clock)).contains(Duration.ZERO);
		assertThat(RetryAfter.parse("soon", clock)).isEmpty();
		assertThat(RetryAfter.parse(null, clock)).isEmpty();
	}

}
