package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention cohorts for a heat map.
 *
 * @param cohort first-seen or first-purchase
 * @param period day, week or month
 * @param event the returning event, or null for any activity
 * @param periods how many periods after the cohort's are counted
 * @param observedUntil the workspace's latest event: later periods are not known yet
 * (null)
 * @param cohorts one row per cohort, oldest first
 */
record RetentionResult(String cohort, String period, String event, int periods, Instant observedUntil,
		List<Cohort> cohorts) implements Table.Exportable {

	/**
	 * @param start the cohort's period
	 * @param size profiles in it
	 * @param retained profiles active in period 0, 1, … (null where the period is not
	 * over)
	 * @param rates retained / size
	 */
	record Cohort(Instant start, long size, List<Long> retained, List<Double> rates) {
	}

	@Override
	public Table table() {
		List<String> columns = new ArrayList<>(List.of("cohort", "size"));
		for (int n = 0; n <= this.periods; n++) {
			columns.add("period_" + n);
		}
		List<List<Object>> rows = new ArrayList<>();
		for (Cohort cohort : this.cohorts) {
			List<Object> row = new ArrayList<>();
			row.add(cohort.start());
			row.add(cohort.size());
			row.addAll(cohort.retained());
			rows.add(row);
		}
		return new Table(columns, rows);
	}

}
