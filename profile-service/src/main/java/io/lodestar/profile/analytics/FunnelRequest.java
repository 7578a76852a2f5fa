package io.lodestar.profile.analytics;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * A funnel: ordered steps, each within {@code window} of the first, counted from each
 * profile's first step-1 event in the date range.
 *
 * @param steps 2-10 steps
 * @param window the conversion window as an ISO-8601 duration ({@code P7D},
 * {@code PT2H}); default 7 days, at most 365 days
 * @param from the range's start (a date or instant); default 30 days before {@code to}
 * @param to the range's end (a date, inclusive, or an instant); default today
 * @param exclusions profiles that performed one of these between two steps leave the
 * funnel
 * @param breakdown split by {@code traits.<key>} of the profile or
 * {@code properties.<key>} of its step-1 event; null for none
 */
record FunnelRequest(List<EventMatch> steps, String window, String from, String to, List<Exclusion> exclusions,
		String breakdown) {

	static final int MAX_STEPS = 10;

	static final Duration LONGEST_WINDOW = Duration.ofDays(365);

	/**
	 * An exclusion step: the event between step {@code afterStep} and step
	 * {@code beforeStep} (both 1-based; before the window's end when the later step was
	 * not reached).
	 */
	record Exclusion(String type, String event, List<EventMatch.PropertyFilter> filters, Integer afterStep,
			Integer beforeStep) {

		EventMatch match() {
			return new EventMatch(this.type, this.event, this.filters);
		}

	}

	/** Checks every field; answers the conversion window. */
	Duration validate() {
		if (this.steps == null || this.steps.size() < 2 || this.steps.size() > MAX_STEPS) {
			throw Invalid.at("/steps", "a funnel has 2-" + MAX_STEPS + " steps");
		}
		for (int i = 0; i < this.steps.size(); i++) {
			if (this.steps.get(i) == null) {
				throw Invalid.at("/steps/" + i, "a step is an object");
			}
			this.steps.get(i).validate("/steps/" + i);
		}
		List<Exclusion> excluded = (this.exclusions != null) ? this.exclusions : List.of();
		if (excluded.size() > 5) {
			throw Invalid.at("/exclusions", "at most 5 exclusions");
		}
		for (int i = 0; i < excluded.size(); i++) {
			Exclusion exclusion = excluded.get(i);
			String pointer = "/exclusions/" + i;
			if (exclusion == null) {
				throw Invalid.at(pointer, "an exclusion is an object");
			}
			exclusion.match().validate(pointer);
			int after = (exclusion.afterStep() != null) ? exclusion.afterStep() : 1;
			int before = (exclusion.beforeStep() != null) ? exclusion.beforeStep() : after + 1;
			if (after < 1 || before > this.steps.size() || before <= after) {
				throw Invalid.at(pointer + "/afterStep",
						"afterStep and beforeStep are step numbers 1-" + this.steps.size() + ", afterStep first");
			}
		}
		if (this.breakdown != null && !this.breakdown.matches("(traits|properties)\\.[^\\s]{1,200}")) {
			throw Invalid.at("/breakdown", "breakdown is traits.<key> or properties.<key>");
		}
		if (this.window == null || this.window.isBlank()) {
			return Duration.ofDays(7);
		}
		try {
			Duration duration = Duration.parse(this.window);
			if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_WINDOW) > 0) {
				throw Invalid.at("/window", "the window is longer than 0 and at most 365 days");
			}
			return duration;
		}
		catch (DateTimeParseException ex) {
			throw Invalid.at("/window", "window is an ISO-8601 duration such as P7D or PT2H");
		}
	}

	int afterStep(Exclusion exclusion) {
		return (exclusion.afterStep() != null) ? exclusion.afterStep() : 1;
	}

	int beforeStep(Exclusion exclusion) {
		return (exclusion.beforeStep() != null) ? exclusion.beforeStep() : afterStep(exclusion) + 1;
	}

}
