package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A funnel's answer: the counts per step overall and per breakdown value.
 *
 * @param from the range's start
 * @param to the range's end
 * @param window the conversion window (ISO-8601)
 * @param excluded profiles removed by an exclusion step
 * @param steps the steps overall
 * @param breakdown the breakdown field, or null
 * @param groups the steps per breakdown value (the 20 largest; the rest as "(other)")
 * @param durationMs how long the query took
 */
record FunnelResult(Instant from, Instant to, String window, long excluded, List<Step> steps, String breakdown,
		List<Group> groups, long durationMs) implements Table.Exportable {

	/**
	 * One step.
	 *
	 * @param step the 1-based position
	 * @param label the event's name or the view type
	 * @param count profiles that reached it
	 * @param conversion share of step 1's profiles that reached it
	 * @param conversionFromPrevious share of the previous step's that reached it
	 * @param dropOff profiles of the previous step that did not reach it
	 * @param medianSecondsFromPrevious median time from the previous step, null for step
	 * 1 or when nobody reached it
	 */
	record Step(int step, String label, long count, double conversion, double conversionFromPrevious, long dropOff,
			Double medianSecondsFromPrevious) {
	}

	/**
	 * @param value the breakdown value ("(none)" when the field is absent)
	 * @param steps its steps
	 */
	record Group(String value, List<Step> steps) {
	}

	@Override
	public Table table() {
		List<List<Object>> rows = new ArrayList<>();
		for (Step step : this.steps) {
			rows.add(row("(all)", step));
		}
		for (Group group : this.groups) {
			for (Step step : group.steps()) {
				rows.add(row(group.value(), step));
			}
		}
		return new Table(List.of("breakdown", "step", "label", "count", "conversion", "conversion_from_previous",
				"drop_off", "median_seconds_from_previous"), rows);
	}

	private static List<Object> row(String group, Step step) {
		List<Object> row = new ArrayList<>();
		row.add(group);
		row.add(step.step());
		row.add(step.label());
		row.add(step.count());
		row.add(step.conversion());
		row.add(step.conversionFromPrevious());
		row.add(step.dropOff());
		row.add(step.medianSecondsFromPrevious());
		return row;
	}

}
