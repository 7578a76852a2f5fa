package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.lodestar.web.BadRequestException;

/**
 * A half-open interval of time {@code [from, to)}. Given as ISO dates
 * ({@code 2011-03-01}, whole UTC days, {@code to} inclusive) or instants ({@code to}
 * exclusive).
 *
 * @param from the first instant in the range
 * @param to the first instant after the range
 */
record DateRange(Instant from, Instant to) {

	static final Duration LONGEST = Duration.ofDays(3660);

	DateRange {
		if (!from.isBefore(to)) {
			throw new BadRequestException("invalid-range", "Invalid date range", "from must be before to");
		}
		if (Duration.between(from, to).compareTo(LONGEST) > 0) {
			throw new BadRequestException("invalid-range", "Invalid date range", "a range spans at most 10 years");
		}
	}

	/**
	 * @param from the start (a date or an instant); null: 30 days before {@code to}
	 * @param to the end (a date, inclusive, or an instant); null: the end of today
	 * @param field the request field's name prefix for errors ("" for query parameters)
	 * @return the range
	 */
	static DateRange parse(String from, String to, String field) {
		Instant end = (to == null || to.isBlank())
				? LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
				: instant(to, true, field + "to");
		Instant start = (from == null || from.isBlank()) ? end.minus(Duration.ofDays(30))
				: instant(from, false, field + "from");
		return new DateRange(start, end);
	}

	/** The range of the same length just before this one. */
	DateRange previous() {
		return new DateRange(this.from.minus(length()), this.from);
	}

	Duration length() {
		return Duration.between(this.from, this.to);
	}

	Timestamp fromTimestamp() {
		return Timestamp.from(this.from);
	}

	Timestamp toTimestamp() {
		return Timestamp.from(this.to);
	}

	private static Instant instant(String value, boolean end, String field) {
		try {
			if (value.length() == 10) {
				LocalDate date = LocalDate.parse(value);
				return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new BadRequestException("invalid-range", "Invalid date range",
					field + " must be an ISO date (2011-03-01) or instant (2011-03-01T00:00:00Z)");
		}
	}

}
