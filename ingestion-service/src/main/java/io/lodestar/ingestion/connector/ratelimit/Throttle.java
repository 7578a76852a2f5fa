package io.lodestar.ingestion.connector.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * What a source said when it refused a request for rate-limit reasons.
 *
 * @param kind how to react
 * @param delay for {@link Kind#RETRY_AFTER}: how long the source asked us to wait
 * @param resetAt for {@link Kind#DAILY_QUOTA}: when the quota resets
 * @param reason a short description for the run history (no credentials, no personal
 * data)
 */
public record Throttle(Kind kind, Duration delay, Instant resetAt, String reason) {

	/**
	 * The source named a wait ({@code Retry-After}, {@code retryDelay},
	 * {@code estimated_time_to_regain_access}).
	 * @param wait the wait
	 * @param reason the reason
	 * @return the throttle
	 */
	public static Throttle retryAfter(Duration wait, String reason) {
		return new Throttle(Kind.RETRY_AFTER, wait, null, reason);
	}

	/**
	 * A short-term limit without a named wait: back off exponentially.
	 * @param reason the reason
	 * @return the throttle
	 */
	public static Throttle transientLimit(String reason) {
		return new Throttle(Kind.TRANSIENT, null, null, reason);
	}

	/**
	 * The daily quota is used up: don't call again before it resets.
	 * @param resetAt when it resets
	 * @param reason the reason
	 * @return the throttle
	 */
	public static Throttle dailyQuota(Instant resetAt, String reason) {
		return new Throttle(Kind.DAILY_QUOTA, null, resetAt, reason);
	}

	/** How to react to a throttle. */
	public enum Kind {

		/** Wait as long as the source said, then retry. */
		RETRY_AFTER,

		/** Back off exponentially with jitter, then retry. */
		TRANSIENT,

		/** Stop the run; pause the connector until the reset. */
		DAILY_QUOTA

	}

}
