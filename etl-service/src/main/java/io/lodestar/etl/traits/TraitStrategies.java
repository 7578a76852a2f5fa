package io.lodestar.etl.traits;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-trait merge strategies ({@link TraitStrategy}) as SQL over {@code jsonb}: top-level
 * trait keys with a strategy other than latest get their own expression, every other key
 * is latest-wins ({@code old || new}). Keys are quoted as SQL literals.
 */
public final class TraitStrategies implements Serializable {

	private final Map<String, TraitStrategy> strategies;

	public TraitStrategies(Map<String, TraitStrategy> strategies) {
		this.strategies = new LinkedHashMap<>(strategies);
		this.strategies.values().removeIf((strategy) -> strategy == TraitStrategy.LATEST);
	}

	/**
	 * Parses {@code key=strategy,key=strategy} (strategies case-insensitive).
	 * @param text the setting, may be blank
	 * @return the strategies
	 * @throws IllegalArgumentException naming a malformed entry
	 */
	public static TraitStrategies parse(String text) {
		Map<String, TraitStrategy> strategies = new LinkedHashMap<>();
		if (text != null && !text.isBlank()) {
			for (String entry : text.split(",")) {
				int equals = entry.indexOf('=');
				if (equals <= 0) {
					throw new IllegalArgumentException("trait strategy entry is not key=strategy: " + entry.strip());
				}
				String key = entry.substring(0, equals).strip();
				String strategy = entry.substring(equals + 1).strip().toUpperCase(Locale.ROOT).replace('-', '_');
				try {
					strategies.put(key, TraitStrategy.valueOf(strategy));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("unknown trait strategy for " + key + ": " + strategy
							+ " (latest, first, max, min, append)");
				}
			}
		}
		return new TraitStrategies(strategies);
	}

	public Map<String, TraitStrategy> strategies() {
		return Map.copyOf(this.strategies);
	}

	/**
	 * New traits applied to a profile's traits.
	 * @param old the SQL of the profile's traits
	 * @param incoming the SQL of the new traits (not null)
	 * @return the SQL of the result
	 */
	public String apply(String old, String incoming) {
		StringBuilder sql = new StringBuilder("(").append(old).append(" || ").append(incoming);
		this.strategies.forEach((key, strategy) -> {
			String k = literal(key);
			String a = old + " -> " + k;
			String b = incoming + " -> " + k;
			String combined = switch (strategy) {
				case FIRST -> "coalesce(" + a + ", " + b + ")";
				default -> symmetric(strategy, a, b);
			};
			// "-> key is not null": the key is present (a JDBC statement cannot use "?")
			sql.append(" || (case when ")
				.append(b)
				.append(" is not null then jsonb_build_object(")
				.append(k)
				.append(", ")
				.append(combined)
				.append(") else '{}'::jsonb end)");
		});
		return sql.append(')').toString();
	}

	/**
	 * Two profiles' traits on a merge: latest-wins keys take the survivor's value, first
	 * the value of the profile seen first.
	 * @param survivor the SQL of the survivor's traits
	 * @param merged the SQL of the merged profile's traits
	 * @param mergedFirst the SQL of a boolean: the merged profile was seen first
	 * @return the SQL of the result
	 */
	public String merge(String survivor, String merged, String mergedFirst) {
		StringBuilder sql = new StringBuilder("(").append(merged).append(" || ").append(survivor);
		this.strategies.forEach((key, strategy) -> {
			String k = literal(key);
			String a = survivor + " -> " + k;
			String b = merged + " -> " + k;
			String combined = switch (strategy) {
				case FIRST -> "(case when " + mergedFirst + " then coalesce(" + b + ", " + a + ") else coalesce(" + a
						+ ", " + b + ") end)";
				default -> symmetric(strategy, b, a);
			};
			sql.append(" || (case when ")
				.append(a)
				.append(" is not null or ")
				.append(b)
				.append(" is not null then jsonb_build_object(")
				.append(k)
				.append(", ")
				.append(combined)
				.append(") else '{}'::jsonb end)");
		});
		return sql.append(')').toString();
	}

	/** {@code a} the value held, {@code b} the new one (either may be SQL null). */
	private static String symmetric(TraitStrategy strategy, String a, String b) {
		return switch (strategy) {
			case MAX, MIN -> {
				String pick = (strategy == TraitStrategy.MAX) ? "greatest" : "least";
				yield "(case when jsonb_typeof(" + a + ") = 'number' and jsonb_typeof(" + b + ") = 'number' then "
						+ pick + "(" + a + ", " + b + ") else coalesce(" + b + ", " + a + ") end)";
			}
			case APPEND -> "(select coalesce(jsonb_agg(distinct v.value), '[]'::jsonb) from (select value from "
					+ "jsonb_array_elements(" + asArray(a) + ") union select value from jsonb_array_elements("
					+ asArray(b) + ")) v)";
			default -> "coalesce(" + b + ", " + a + ")";
		};
	}

	private static String asArray(String value) {
		return "(case when " + value + " is null or " + value + " = 'null'::jsonb then '[]'::jsonb when jsonb_typeof("
				+ value + ") = 'array' then " + value + " else jsonb_build_array(" + value + ") end)";
	}

	private static String literal(String key) {
		return "'" + key.replace("'", "''") + "'";
	}

}
