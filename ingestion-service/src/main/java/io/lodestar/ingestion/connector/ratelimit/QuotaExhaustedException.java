package io.lodestar.ingestion.connector.ratelimit;

import java.time.Instant;

/**
 * The daily quota is used up: the run stops and the connector pauses until
 * {@link #resumeAt()}.
 */
public class QuotaExhaustedException extends RuntimeException {

	private final Instant resumeAt;

	/**
	 * An exhausted quota.
	 * @param resumeAt when the quota resets
	 * @param reason the source's reason
	 */
	public QuotaExhaustedException(Instant resumeAt, String reason) {
		super("Daily quota exhausted until " + resumeAt + ": " + reason, null, false, false);
		this.resumeAt = resumeAt;
	}

	/**
	 * When to run again.
	 * @return the reset instant
	 */
	public Instant resumeAt() {
		return this.resumeAt;
	}

}
