package io.lodestar.etl.marts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The marts job's settings, prefix {@code lodestar.etl.marts}.
 *
 * @param defaultDays a run without a date range computes this many days up to today
 * (UTC): the scheduled daily run also catches late events of the days before
 * @param lookbackDays how long before a purchase a campaign touch still gets it (1-90,
 * profile-service's default 30)
 * @param kiosk the events kiosk screens send
 */
@ConfigurationProperties("lodestar.etl.marts")
public record MartsProperties(@DefaultValue("3") int defaultDays, @DefaultValue("30") int lookbackDays,
		@DefaultValue Kiosk kiosk) {

	public MartsProperties {
		if (defaultDays < 1) {
			throw new IllegalArgumentException("lodestar.etl.marts.default-days must be at least 1");
		}
		if (lookbackDays < 1 || lookbackDays > 90) {
			throw new IllegalArgumentException("lodestar.etl.marts.lookback-days must be between 1 and 90");
		}
	}

	/**
	 * What in-store screens send (profile-service's
	 * {@code lodestar.profile.analytics.kiosk} defaults): track events whose properties
	 * name the {@code zone} and the {@code screen}.
	 *
	 * @param impressionEvent a zone's content was shown
	 * @param clickEvent a zone was touched
	 * @param dwellEvent a shopper left a zone; its {@code dwell_seconds} is the time
	 * spent
	 */
	public record Kiosk(@DefaultValue("Promotion Viewed") String impressionEvent,
			@DefaultValue("Promotion Clicked") String clickEvent, @DefaultValue("Zone Dwell") String dwellEvent) {
	}

}
