package io.lodestar.profile.analytics;

import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Which events a funnel step, a path's start or an exclusion means: a track event by name
 * ({@code {"event":"Order Completed"}}), or a page or screen view
 * ({@code {"type":"page"}}), narrowed by filters on the event's properties (nested keys
 * separated by dots).
 *
 * @param type {@code track} (the default), {@code page} or {@code screen}
 * @param event the track event's name; required for track, not allowed otherwise
 * @param filters property conditions, all of which must hold
 */
record EventMatch(String type, String event, List<PropertyFilter> filters) {

	static final int MAX_FILTERS = 10;

	private static final Set<String> TYPES = Set.of("track", "page", "screen");

	private static final Set<String> OPS = Set.of("eq", "neq", "in", "contains", "startsWith", "gt", "gte", "lt", "lte",
			"exists", "missing");

	/**
	 * A condition on one property.
	 *
	 * @param property the property's key, dots for nested keys ({@code product.category})
	 * @param op eq, neq, in, contains, startsWith, gt, gte, lt, lte, exists, missing
	 * @param value a string, number or boolean (a list for in; none for exists/missing)
	 */
	record PropertyFilter(String property, String op, Object value) {
	}

	String effectiveType() {
		return (this.type == null) ? "track" : this.type;
	}

	/** A label for results: the event's name or the view type. */
	String label() {
		return "track".equals(effectiveType()) ? this.event : effectiveType();
	}

	/**
	 * Checks the match; a problem points at the bad field under {@code pointer}.
	 */
	EventMatch validate(String pointer) {
		String kind = effectiveType();
		if (!TYPES.contains(kind)) {
			throw Invalid.at(pointer + "/type", "type must be track, page or screen");
		}
		if ("track".equals(kind) && (this.event == null || this.event.isBlank())) {
			throw Invalid.at(pointer + "/event", "a track step needs the event's name");
		}
		if (!"track".equals(kind) && this.event != null) {
			throw Invalid.at(pointer + "/event", "page and screen views have no event name: filter on a property");
		}
		if (this.event != null && this.event.length() > 200) {
			throw Invalid.at(pointer + "/event", "event names have at most 200 characters");
		}
		List<PropertyFilter> conditions = (this.filters != null) ? this.filters : List.of();
		if (conditions.size() > MAX_FILTERS) {
			throw Invalid.at(pointer + "/filters", "at most " + MAX_FILTERS + " filters");
		}
		for (int i = 0; i < conditions.size(); i++) {
			validate(conditions.get(i), pointer + "/filters/" + i);
		}
		return this;
	}

	/**
	 * The SQL condition on the events of alias {@code e}, its values bound under names
	 * starting with {@code prefix}.
	 */
	String sql(String alias, String prefix, MapSqlParameterSource parameters) {
		StringBuilder sql = new StringBuilder();
		if (!"track".equals(effectiveType())) {
			parameters.addValue(prefix + "type", effectiveType());
			sql.append(alias).append(".event_type = :").append(prefix).append("type and ");
		}
		// only track events have a name: for them the name alone is the indexes' key
		sql.append(alias).append(".event_name = :").append(prefix).append("name");
		parameters.addValue(prefix + "name", (this.event != null) ? this.event : "");
		List<PropertyFilter> conditions = (this.filters != null) ? this.filters : List.of();
		for (int i = 0; i < conditions.size(); i++) {
			String name = prefix + "f" + i;
			sql.append(" and ").append(condition(conditions.get(i), alias, name, parameters));
		}
		return sql.toString();
	}

	private static void validate(PropertyFilter filter, String pointer) {
		if (filter == null || filter.property() == null || filter.property().isBlank()) {
			throw Invalid.at(pointer + "/property", "property is required");
		}
		if (filter.property().length() > 200) {
			throw Invalid.at(pointer + "/property", "property keys have at most 200 characters");
		}
		if (filter.op() == null || !OPS.contains(filter.op())) {
			throw Invalid.at(pointer + "/op",
					"op must be one of eq, neq, in, contains, startsWith, gt, gte, lt, lte, exists, missing");
		}
		Object value = filter.value();
		switch (filter.op()) {
			case "exists", "missing" -> {
				if (value != null) {
					throw Invalid.at(pointer + "/value", filter.op() + " takes no value");
				}
			}
			case "in" -> {
				if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 100
						|| list.stream().anyMatch((item) -> !scalar(item))) {
					throw Invalid.at(pointer + "/value", "in takes a list of 1-100 strings, numbers or booleans");
				}
			}
			case "gt", "gte", "lt", "lte" -> {
				if (!(value instanceof Number)) {
					throw Invalid.at(pointer + "/value", filter.op() + " compares with a number");
				}
			}
			case "contains", "startsWith" -> {
				if (!(value instanceof String text) || text.isEmpty()) {
					throw Invalid.at(pointer + "/value", filter.op() + " takes a non-empty string");
				}
			}
			default -> {
				if (!scalar(value)) {
					throw Invalid.at(pointer + "/value", filter.op() + " takes a string, number or boolean");
				}
			}
		}
	}

	private static boolean scalar(Object value) {
		return value instanceof String || value instanceof Number || value instanceof Boolean;
	}

	private static String condition(PropertyFilter filter, String alias, String name,
			MapSqlParameterSource parameters) {
		parameters.addValue(name + "k", filter.property());
		String text = "(" + alias + ".properties #>> string_to_array(:" + name + "k, '.'))";
		String number = "profile.number_or_null" + text;
		Object value = filter.value();
		return switch (filter.op()) {
			case "exists" -> text + " is not null";
			case "missing" -> text + " is null";
			case "gt", "gte", "lt", "lte" -> {
				parameters.addValue(name + "v", ((Number) value).doubleValue());
				String op = switch (filter.op()) {
					case "gt" -> ">";
					case "gte" -> ">=";
					case "lt" -> "<";
					default -> "<=";
				};
				yield number + " " + op + " :" + name + "v";
			}
			case "contains" -> {
				parameters.addValue(name + "v", "%" + like((String) value) + "%");
				yield text + " like :" + name + "v";
			}
			case "startsWith" -> {
				parameters.addValue(name + "v", like((String) value) + "%");
				yield text + " like :" + name + "v";
			}
			case "in" -> {
				List<?> list = (List<?>) value;
				StringBuilder any = new StringBuilder("(");
				for (int i = 0; i < list.size(); i++) {
					any.append((i == 0) ? "" : " or ")
						.append(equality(text, number, list.get(i), name + "v" + i, parameters));
				}
				yield any.append(')').toString();
			}
			case "neq" -> "(" + text + " is null or not " + equality(text, number, value, name + "v", parameters) + ")";
			default -> equality(text, number, value, name + "v", parameters);
		};
	}

	private static String equality(String text, String number, Object value, String name,
			MapSqlParameterSource parameters) {
		if (value instanceof Number numeric) {
			parameters.addValue(name, numeric.doubleValue());
			return "(" + number + " = :" + name + ")";
		}
		parameters.addValue(name, String.valueOf(value));
		return "(" + text + " = :" + name + ")";
	}

	/** Escapes LIKE's wildcards (PostgreSQL's default escape is the backslash). */
	private static String like(String value) {
		return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
