package io.lodestar.profile.analytics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Analytics settings, prefix {@code lodestar.profile.analytics}. Purchases (KPIs, sales,
 * first-purchase cohorts) are the LTV settings' purchase events and revenue properties.
 *
 * @param statementTimeout an analytics query running longer is cancelled (503 problem)
 * @param kiosk the events kiosk screens send
 */
@ConfigurationProperties("lodestar.profile.analytics")
record AnalyticsProperties(@DefaultValue("60s") Duration statementTimeout, @DefaultValue Kiosk kiosk) {

	/**
	 * What in-store screens send: ordinary track events whose properties name the
	 * {@code zone} (the content slot) and the {@code screen} (the display).
	 *
	 * @param impressionEvent a zone's content was shown
	 * @param clickEvent a zone was touched
	 * @param dwellEvent a shopper left a zone; its {@code dwell_seconds} property is the
	 * time spent
	 */
	record Kiosk(@DefaultValue("Promotion Viewed") String impressionEvent,
			@DefaultValue("Promotion Clicked") String clickEvent, @DefaultValue("Zone Dwell") String dwellEvent) {
	}

}
