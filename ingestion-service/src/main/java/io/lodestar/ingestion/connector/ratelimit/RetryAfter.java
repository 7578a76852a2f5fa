package io.lodestar.ingestion.connector.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The HTTP {@code Retry-After} header (RFC 9110): delay seconds or an HTTP date.
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * The wait a {@code Retry-After} value asks for.
	 * @param value the header value, may be {@code null}
	 * @param clock now, for an HTTP date
	 * @return the wait (never negative), or empty if absent or unreadable
	 */
	public static Optional<Duration> parse(String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		String trimmed = value.trim();
		try {
			return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(trimmed) * 1000))));
		}
		catch (NumberFormatException ex) {
			// an HTTP date
		}
		try {
			ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration wait = Duration.between(clock.instant(), at.toInstant());
			return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
