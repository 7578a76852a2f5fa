package io.lodestar.gateway.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a caller's actor id, or a client address for logins), in this
 * gateway's memory: each instance limits what passes through it.
 */
final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final double perSecond;

	private final double burst;

	private final LongSupplier nanoTime;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	/**
	 * @param perSecond tokens added per second
	 * @param burst the bucket's size
	 * @param nanoTime the clock (System::nanoTime; a fake one in tests)
	 */
	RateLimiter(double perSecond, double burst, LongSupplier nanoTime) {
		this.perSecond = perSecond;
		this.burst = burst;
		this.nanoTime = nanoTime;
	}

	/**
	 * Takes one token for the key.
	 * @return 0 when the request may pass, else the whole seconds to wait (at least 1)
	 */
	long acquire(String key) {
		if (this.buckets.size() > 100_000) {
			this.buckets.clear();
		}
		Bucket bucket = this.buckets.computeIfAbsent(key, (k) -> new Bucket(this.burst, this.nanoTime.getAsLong()));
		synchronized (bucket) {
			long now = this.nanoTime.getAsLong();
			bucket.tokens = Math.min(this.burst,
					bucket.tokens + (now - bucket.refilledAt) * this.perSecond / NANOS_PER_SECOND);
			bucket.refilledAt = now;
			if (bucket.tokens >= 1) {
				bucket.tokens -= 1;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / this.perSecond));
		}
	}

	private static final class Bucket {

		double tokens;

		long refilledAt;

		Bucket(double tokens, long refilledAt) {
			this.tokens = tokens;
			this.refilledAt = refilledAt;
		}

	}

}
