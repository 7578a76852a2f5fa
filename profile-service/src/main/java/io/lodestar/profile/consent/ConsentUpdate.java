package io.lodestar.profile.consent;

import java.time.Instant;
import java.util.Map;

/**
 * Decisions to record, by purpose.
 *
 * @param purposes {@code analytics}, {@code marketing} and/or {@code personalisation}
 */
public record ConsentUpdate(Map<String, Decision> purposes) {

	/**
	 * @param granted whether the person agreed
	 * @param source where the decision was made (1-64 characters), e.g.
	 * {@code cookie-banner}
	 * @param recordedAt when the person decided; now when absent
	 */
	public record Decision(Boolean granted, String source, Instant recordedAt) {
	}

}
