package io.lodestar.ingestion.connector.ratelimit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

/**
 * Calls a source until it answers, honouring its throttles: {@code Retry-After} waits
 * exactly as asked, other short-term limits back off exponentially with full jitter
 * ({@code random(0, min(max, base * 2^attempt))}), a daily quota stops at once with a
 * {@link QuotaExhaustedException}. One instance per run: it counts the run's retries.
 */
public final class Retrier {

	private final int maxAttempts;

	private final Duration base;

	private final Duration max;

	private final Sleeper sleeper;

	private final RandomGenerator random;

	private int retries;

	/**
	 * A retrier.
	 * @param maxAttempts attempts per call, including the first
	 * @param base the first backoff's upper bound
	 * @param max the cap of any backoff (not of a source's own {@code Retry-After})
	 * @param sleeper how to wait
	 * @param random the jitter
	 */
	public Retrier(int maxAttempts, Duration base, Duration max, Sleeper sleeper, RandomGenerator random) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1");
		}
		this.maxAttempts = maxAttempts;
		this.base = base;
		this.max = max;
		this.sleeper = sleeper;
		this.random = random;
	}

	/**
	 * Calls until the call returns, a non-throttle error is thrown, the daily quota is
	 * exhausted or the attempts are used up.
	 * @param <T> the result type
	 * @param call the call
	 * @return its result
	 * @throws Exception what the call threw if it was not a throttle, a
	 * {@link QuotaExhaustedException}, or the last {@link ThrottledException} when the
	 * attempts are used up
	 */
	public <T> T call(Callable<T> call) throws Exception {
		for (int attempt = 0;; attempt++) {
			try {
				return call.call();
			}
			catch (ThrottledException ex) {
				Throttle throttle = ex.throttle();
				if (throttle.kind() == Throttle.Kind.DAILY_QUOTA) {
					throw new QuotaExhaustedException(throttle.resetAt(), throttle.reason());
				}
				if (attempt + 1 >= this.maxAttempts) {
					throw ex;
				}
				this.retries++;
				this.sleeper.sleep(waitFor(throttle, attempt));
			}
		}
	}

	/**
	 * The wait before the next attempt.
	 * @param throttle what the source said
	 * @param attempt the zero-based attempt that failed
	 * @return the wait
	 */
	Duration waitFor(Throttle throttle, int attempt) {
		if (throttle.kind() == Throttle.Kind.RETRY_AFTER && throttle.delay() != null) {
			return throttle.delay();
		}
		long ceiling = Math.min(this.max.toMillis(), this.base.toMillis() << Math.min(attempt, 30));
		return Duration.ofMillis(this.random.nextLong(ceiling + 1));
	}

	/**
	 * Retries so far (for the run history).
	 * @return the count
	 */
	public int retries() {
		return this.retries;
	}

}
