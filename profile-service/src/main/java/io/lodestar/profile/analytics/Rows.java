package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rows of one shape for a range.
 *
 * @param from the range's start
 * @param to its end
 * @param rows the rows
 */
record Rows(Instant from, Instant to, List<Map<String, Object>> rows) implements Table.Exportable {

	Rows(DateRange range, List<Map<String, Object>> rows) {
		this(range.from(), range.to(), rows);
	}

	@Override
	public Table table() {
		List<String> columns = this.rows.isEmpty() ? List.of() : new ArrayList<>(this.rows.get(0).keySet());
		List<List<Object>> values = new ArrayList<>();
		for (Map<String, Object> row : this.rows) {
			values.add(new ArrayList<>(row.values()));
		}
		return new Table(columns, values);
	}

}
