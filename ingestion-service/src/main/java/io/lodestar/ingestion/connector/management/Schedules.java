package io.lodestar.ingestion.connector.management;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.springframework.scheduling.support.CronExpression;

/**
 * Connector schedules: cron with five fields ({@code 0 3 * * *}, minute first, as crontab
 * writes it), six fields (seconds first) or a macro ({@code @hourly}, {@code @daily}),
 * evaluated in UTC.
 */
final class Schedules {

	private Schedules() {
	}

	/**
	 * @param schedule the expression
	 * @return the parsed expression, empty if it is not one
	 */
	static Optional<CronExpression> parse(String schedule) {
		if (schedule == null || schedule.isBlank()) {
			return Optional.empty();
		}
		String trimmed = schedule.trim();
		String expression = (!trimmed.startsWith("@") && trimmed.split("\\s+").length == 5) ? "0 " + trimmed : trimmed;
		try {
			return Optional.of(CronExpression.parse(expression));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * @param schedule a valid expression
	 * @param after the instant after which the next run falls
	 * @return the next run, or null if the expression never fires again
	 */
	static Instant next(String schedule, Instant after) {
		ZonedDateTime next = parse(schedule).orElseThrow(() -> new IllegalArgumentException("not a cron expression"))
			.next(after.atZone(ZoneOffset.UTC));
		return (next != null) ? next.toInstant() : null;
	}

}
