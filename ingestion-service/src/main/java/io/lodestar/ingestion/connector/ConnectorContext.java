package io.lodestar.ingestion.connector;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import io.lodestar.ingestion.connector.ratelimit.Retrier;

/**
 * What a run knows: whose connector, its settings and secrets, the stored watermark, and
 * the run's clock, HTTP client and retrier.
 *
 * @param workspaceId the workspace
 * @param connectorId the connector
 * @param settings its settings
 * @param credentials its decrypted secrets (never logged)
 * @param watermark the stored watermark, empty before the first successful run
 * @param clock now
 * @param http the HTTP client
 * @param json the mapper
 * @param retrier the run's retrier (it counts the retries)
 * @param processed the files this connector imported before (file drops)
 */
public record ConnectorContext(String workspaceId, String connectorId, ConnectorSettings settings,
		Credentials credentials, Optional<String> watermark, Clock clock, HttpClient http, JsonMapper json,
		Retrier retrier, ProcessedFiles processed) {

	/**
	 * The date range a date-partitioned source should read: from the watermark minus the
	 * trailing window (never before {@code startDate}), or from {@code startDate} (else
	 * {@code initialDays} back) on the first run, to today in the source's time zone.
	 * @param trailingDays how many days before the watermark the source may still revise
	 * @param initialDays how far back the first run reads without a {@code startDate}
	 * @param zone the source's time zone
	 * @return the range, first and last day included
	 */
	public DateRange dateRange(int trailingDays, int initialDays, ZoneId zone) {
		LocalDate today = LocalDate.now(this.clock.withZone(zone));
		Optional<LocalDate> start = this.settings.date("startDate");
		LocalDate since = this.watermark.map(LocalDate::parse)
			.map((mark) -> mark.minusDays(trailingDays))
			.orElseGet(() -> start.orElse(today.minusDays(initialDays)));
		if (start.isPresent() && since.isBefore(start.get())) {
			since = start.get();
		}
		return new DateRange(since, today);
	}

	/**
	 * Days, both ends included.
	 *
	 * @param since the first day
	 * @param until the last day
	 */
	public record DateRange(LocalDate since, LocalDate until) {

		/**
		 * @return whether the range holds no day
		 */
		public boolean isEmpty() {
			return this.since.isAfter(this.until);
		}

	}

}
