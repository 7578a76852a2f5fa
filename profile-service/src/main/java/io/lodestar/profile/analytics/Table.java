package io.lodestar.profile.analytics;

import java.util.List;

import io.lodestar.web.Csv;

/**
 * A result as rows and columns, for the CSV export of every analytics answer.
 *
 * @param columns the header
 * @param rows the values, one list per row, in column order
 */
record Table(List<String> columns, List<List<Object>> rows) {

	/** The table as RFC 4180 CSV with a header line. */
	String csv() {
		StringBuilder csv = new StringBuilder();
		line(csv, this.columns);
		for (List<Object> row : this.rows) {
			line(csv, row);
		}
		return csv.toString();
	}

	private static void line(StringBuilder csv, List<?> cells) {
		for (int i = 0; i < cells.size(); i++) {
			Object cell = cells.get(i);
			csv.append((i == 0) ? "" : ",").append(Csv.cell((cell == null) ? null : String.valueOf(cell)));
		}
		csv.append("\r\n");
	}

	/** A result that can be exported as a table. */
	interface Exportable {

		Table table();

	}

}
