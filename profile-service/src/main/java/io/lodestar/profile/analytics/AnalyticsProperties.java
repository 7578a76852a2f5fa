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
 * @param index the in-memory timeline funnels and paths read (ADR 0033)
 */
@ConfigurationProperties("lodestar.profile.analytics")
record AnalyticsProperties(@DefaultValue("60s") Duration statementTimeout, @DefaultValue Kiosk kiosk,
		@DefaultValue Index index) {

	/**
	 * The in-memory timeline ({@link EventIndex}).
	 *
	 * @param enabled off: every funnel and path is answered by SQL
	 * @param refreshInterval how often the background catches up with PostgreSQL (each
	 * query catches up too)
	 * @param overlap how far back each catch-up looks again: longer than the longest
	 * transaction that writes events
	 * @param fullReload how often every workspace is loaded again from scratch (the
	 * backstop for changes a catch-up cannot see)
	 * @param loadBatch profiles read per statement
	 * @param maxEvents a workspace with more events is answered by SQL (about 12 bytes of
	 * heap per event, twice that while it reloads)
	 * @param loadInlineBelow a workspace first asked about with fewer events is loaded
	 * before answering; a larger one loads in the background while SQL answers
	 * @param keepCurrent the background keeps a workspace current this long after it was
	 * last asked about; an idle one costs nothing and catches up on its next question
	 * @param catchUpLimit a catch-up that would reload more profiles is a full reload in
	 * the background instead, SQL answering meanwhile
	 */
	record Index(@DefaultValue("true") boolean enabled, @DefaultValue("2s") Duration refreshInterval,
			@DefaultValue("30s") Duration overlap, @DefaultValue("6h") Duration fullReload,
			@DefaultValue("5000") int loadBatch, @DefaultValue("50000000") long maxEvents,
			@DefaultValue("100000") int loadInlineBelow, @DefaultValue("15m") Duration keepCurrent,
			@DefaultValue("50000") int catchUpLimit) {
	}

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
