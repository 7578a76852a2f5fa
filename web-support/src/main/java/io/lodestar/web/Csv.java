package io.lodestar.web;

/**
 * CSV cells as RFC 4180 writes them. A cell that a spreadsheet would run as a formula
 * ({@code =}, {@code +}, {@code -}, {@code @}, tab, carriage return first) is prefixed
 * with a quote mark so that opening an export never executes what a visitor typed into a
 * form.
 */
public final class Csv {

	private Csv() {
	}

	/**
	 * @param value a cell value, null for an empty cell
	 * @return the cell as written in a CSV line
	 */
	public static String cell(String value) {
		if (value == null) {
			return "";
		}
		String safe = value;
		if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0 && !isNumber(safe)) {
			safe = "'" + safe;
		}
		if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
			return '"' + safe.replace("\"", "\"\"") + '"';
		}
		return safe;
	}

	private static boolean isNumber(String value) {
		try {
			Double.parseDouble(value);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
