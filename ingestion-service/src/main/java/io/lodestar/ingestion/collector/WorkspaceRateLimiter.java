package io.lodestar.ingestion.collector;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per workspace, in messages: {@code rate} messages a second on average,
 * bursts up to {@code burst}. A request that would overdraw its workspace's bucket is
 * refused whole with the seconds to wait, so a client that honours {@code Retry-After}
 * gets in; a request larger than the burst is let through once the bucket is full,
 * leaving the bucket in debt. Per collector instance.
 */
final class WorkspaceRateLimiter {

	private final double rate;

	private final double burst;

	private final Clock clock;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	WorkspaceRateLimiter(double ratePerSecond, double burst, Clock clock) {
		this.rate = ratePerSecond;
		this.burst = burst;
		this.clock = clock;
	}

	/**
	 * Takes {@code messages} tokens from the workspace's bucket.
	 * @param workspaceId the workspace
	 * @param messages how many messages the request carries
	 * @return 0 when allowed, else the whole seconds to wait before retrying
	 */
	long acquire(String workspaceId, int messages) {
		if (this.rate <= 0) {
			return 0;
		}
		Bucket bucket = this.buckets.computeIfAbsent(workspaceId, (id) -> new Bucket(this.burst, nanos()));
		synchronized (bucket) {
			long now = nanos();
			bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * this.rate);
			bucket.updatedNanos = now;
			// a request larger than the burst waits for a full bucket, then runs into
			// debt
			double required = Math.min(messages, this.burst);
			if (bucket.tokens >= required) {
				bucket.tokens -= messages;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((required - bucket.tokens) / this.rate));
		}
	}

	private long nanos() {
		return this.clock.millis() * 1_000_000L;
	}

	private static final class Bucket {

		double tokens;

		long updatedNanos;

		Bucket(double tokens, long updatedNanos) {
			this.tokens = tokens;
			this.updatedNanos = updatedNanos;
		}

	}

}
