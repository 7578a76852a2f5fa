package io.lodestar.profile.search;

import java.util.List;
import java.util.Map;

/**
 * A column of a CSV export: a profile field or a trait (a dotted path into the traits).
 *
 * @param name the column as asked for, also its header
 */
public record ExportColumn(String name) {

	/** The columns of an export that names none. */
	public static final List<ExportColumn> DEFAULTS = List.of(new ExportColumn("profileId"), new ExportColumn("userId"),
			new ExportColumn("firstSeenAt"), new ExportColumn("lastSeenAt"), new ExportColumn("eventCount"));

	static final int MAX_COLUMNS = 50;

	/**
	 * The columns named in a request, checked.
	 * @param names the names, null for the defaults
	 * @return the columns
	 */
	static List<ExportColumn> of(List<String> names) {
		if (names == null || names.isEmpty()) {
			return DEFAULTS;
		}
		if (names.size() > MAX_COLUMNS) {
			throw SearchSql.invalid("/columns", "at most " + MAX_COLUMNS + " columns");
		}
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			boolean field = name != null && (DEFAULTS.stream().anyMatch((column) -> column.name().equals(name))
					|| (name.startsWith("traits.") && name.length() > "traits.".length() && name.length() <= 200));
			if (!field) {
				throw SearchSql.invalid("/columns/" + i,
						"a column is profileId, userId, firstSeenAt, lastSeenAt, eventCount or traits.<key>");
			}
		}
		return names.stream().map(ExportColumn::new).toList();
	}

	String value(ProfileSummary profile) {
		return switch (this.name) {
			case "profileId" -> profile.profileId().toString();
			case "userId" -> profile.userId();
			case "firstSeenAt" -> profile.firstSeenAt().toString();
			case "lastSeenAt" -> profile.lastSeenAt().toString();
			case "eventCount" -> Long.toString(profile.eventCount());
			default -> trait(profile.traits(), this.name.substring("traits.".length()));
		};
	}

	private static String trait(Map<String, Object> traits, String path) {
		Object value = traits;
		for (String key : path.split("\\.")) {
			if (!(value instanceof Map<?, ?> map)) {
				return null;
			}
			value = map.get(key);
		}
		return (value instanceof Map || value instanceof List || value == null) ? null : value.toString();
	}

}
