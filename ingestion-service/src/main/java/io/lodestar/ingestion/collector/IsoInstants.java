package io.lodestar.ingestion.collector;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 date-times as the SDKs send them, read without {@code DateTimeFormatter} in
 * the common shapes — {@code 2026-11-24T10:15:30Z}, with a fraction of 1 to 9 digits,
 * with {@code +01:00} or {@code -05:30} instead of {@code Z} — and by
 * {@link OffsetDateTime#parse} otherwise, so every text means what
 * {@code OffsetDateTime.parse} says it means. Three timestamps per message made the
 * formatter a visible share of the collector's CPU.
 */
final class IsoInstants {

	private static final int LOCAL = 19;

	private IsoInstants() {
	}

	/**
	 * @param text an ISO-8601 date-time with an offset
	 * @return the instant
	 * @throws DateTimeParseException when it is not one ({@link OffsetDateTime#parse})
	 */
	static Instant parse(String text) {
		Instant fast = fast(text);
		return (fast != null) ? fast : OffsetDateTime.parse(text).toInstant();
	}

	/** The common shapes; null for anything else (including invalid dates). */
	private static Instant fast(String text) {
		int length = text.length();
		if (length < LOCAL + 1 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int at = LOCAL;
		int nanos = 0;
		if (text.charAt(at) == '.') {
			int start = ++at;
			while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
				nanos = nanos * 10 + (text.charAt(at) - '0');
				at++;
			}
			int fraction = at - start;
			if (fraction == 0) {
				return null;
			}
			for (int i = fraction; i < 9; i++) {
				nanos *= 10;
			}
		}
		if (at >= length) {
			return null;
		}
		int offsetSeconds;
		char sign = text.charAt(at);
		if (sign == 'Z' && at + 1 == length) {
			offsetSeconds = 0;
		}
		else if ((sign == '+' || sign == '-') && at + 6 == length && text.charAt(at + 3) == ':') {
			int offsetHours = digits(text, at + 1, 2);
			int offsetMinutes = digits(text, at + 4, 2);
			if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
					|| (offsetHours == 18 && offsetMinutes > 0)) {
				return null;
			}
			offsetSeconds = ((sign == '-') ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
		}
		else {
			return null;
		}
		long epochDay;
		try {
			epochDay = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
		return Instant.ofEpochSecond(seconds, nanos);
	}

	private static int digits(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
