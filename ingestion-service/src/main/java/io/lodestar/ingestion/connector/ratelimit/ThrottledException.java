package io.lodestar.ingestion.connector.ratelimit;

/**
 * A source refused a request for rate-limit reasons.
 */
public class ThrottledException extends RuntimeException {

	private final Throttle throttle;

	/**
	 * A refusal.
	 * @param throttle what the source said
	 */
	public ThrottledException(Throttle throttle) {
		super(throttle.reason(), null, false, false);
		this.throttle = throttle;
	}

	/**
	 * What the source said.
	 * @return the throttle
	 */
	public Throttle throttle() {
		return this.throttle;
	}

}
