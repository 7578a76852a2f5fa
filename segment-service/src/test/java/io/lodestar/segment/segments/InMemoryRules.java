package io.lodestar.segment.segments;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lodestar.segment.rule.Rule;
import io.lodestar.segment.rule.Rule.Comparison;
import io.lodestar.segment.rule.Rule.Op;

/**
 * The rule language's semantics, evaluated in memory on one profile: what the compiled
 * SQL must select (segment-service's README states the same rules).
 */
final class InMemoryRules {

	private final Instant now;

	InMemoryRules(Instant now) {
		this.now = now;
	}

	boolean matches(Rule rule, SegmentRulesIT.TestProfile profile) {
		if (rule instanceof Rule.Group group) {
			return group.all() ? group.conditions().stream().allMatch((c) -> matches(c, profile))
					: group.conditions().stream().anyMatch((c) -> matches(c, profile));
		}
		if (rule instanceof Rule.Not not) {
			return !matches(not.condition(), profile);
		}
		if (rule instanceof Rule.Compare compare) {
			if (compare.field() instanceof Rule.Trait trait) {
				return json(at(profile.traits(), trait.path()), compare.comparison());
			}
			return computed((Rule.Computed) compare.field(), profile, compare.comparison());
		}
		if (rule instanceof Rule.Event event) {
			return event(event, profile);
		}
		if (rule instanceof Rule.Profiles profiles) {
			return profiles.profileIds().contains(profile.id());
		}
		throw new IllegalStateException("segment references are not generated");
	}

	private boolean event(Rule.Event rule, SegmentRulesIT.TestProfile profile) {
		List<SegmentRulesIT.TestEvent> events = new ArrayList<>();
		for (SegmentRulesIT.TestEvent event : profile.events()) {
			boolean matches = event.type().equals(rule.eventType())
					&& (rule.event() == null || rule.event().equals(event.name()))
					&& (rule.from() == null || !event.occurredAt().isBefore(rule.from()))
					&& (rule.to() == null || event.occurredAt().isBefore(rule.to()))
					&& rule.where()
						.stream()
						.allMatch((filter) -> json(at(event.properties(), filter.path()), filter.comparison()));
			if (matches) {
				events.add(event);
			}
		}
		if (events.isEmpty()) {
			return (rule.measure() == Rule.Measure.COUNT || rule.measure() == Rule.Measure.SUM)
					&& holds(BigDecimal.ZERO, rule.comparison());
		}
		if (rule.measure() == Rule.Measure.COUNT) {
			return holds(BigDecimal.valueOf(events.size()), rule.comparison());
		}
		List<BigDecimal> values = events.stream()
			.map((event) -> loose(at(event.properties(), rule.measured())))
			.filter(Objects::nonNull)
			.toList();
		BigDecimal measure = switch (rule.measure()) {
			case SUM -> values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
			case AVG -> values.isEmpty() ? null
					: values.stream()
						.reduce(BigDecimal.ZERO, BigDecimal::add)
						.divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128);
			case MIN -> values.stream().min(BigDecimal::compareTo).orElse(null);
			case MAX -> values.stream().max(BigDecimal::compareTo).orElse(null);
			default -> throw new IllegalStateException();
		};
		return measure != null && holds(measure, rule.comparison());
	}

	private boolean computed(Rule.Computed field, SegmentRulesIT.TestProfile profile, Comparison comparison) {
		Object value = switch (field) {
			case USER_ID -> profile.userId();
			case FIRST_SEEN_AT -> profile.firstSeenAt();
			case LAST_SEEN_AT -> profile.lastSeenAt();
			case EVENT_COUNT -> BigDecimal.valueOf(profile.eventCount());
			// no computed traits yet: 0 sessions, orders and revenue
			case SESSIONS, ORDERS, REVENUE -> profile.computed().getOrDefault(field, BigDecimal.ZERO);
			default -> profile.computed().get(field);
		};
		Op op = comparison.op();
		if (op == Op.EXISTS || op == Op.MISSING) {
			return (value != null) == (op == Op.EXISTS);
		}
		if (value == null) {
			return false;
		}
		List<Object> operands = comparison.values();
		return switch (op) {
			case EQ -> compare(value, operands.get(0)) == 0;
			case NEQ -> compare(value, operands.get(0)) != 0;
			case IN -> operands.stream().anyMatch((o) -> compare(value, o) == 0);
			case NIN -> operands.stream().noneMatch((o) -> compare(value, o) == 0);
			case CONTAINS -> ((String) value).contains((String) operands.get(0));
			case STARTS_WITH -> ((String) value).startsWith((String) operands.get(0));
			default -> ordered(value, comparison);
		};
	}

	/** A comparison on a JSON value (trait or property), by the JSON value's own type. */
	private boolean json(Object value, Comparison comparison) {
		Op op = comparison.op();
		List<Object> operands = comparison.values();
		return switch (op) {
			case EXISTS -> value != null;
			case MISSING -> value == null;
			case EQ -> jsonEquals(value, operands.get(0));
			case NEQ -> value != null && !jsonEquals(value, operands.get(0));
			case IN -> operands.stream().anyMatch((o) -> jsonEquals(value, o));
			case NIN -> value != null && operands.stream().noneMatch((o) -> jsonEquals(value, o));
			case CONTAINS -> (value instanceof String string) ? string.contains((String) operands.get(0))
					: (value instanceof List<?> list) && list.contains(operands.get(0));
			case STARTS_WITH -> (value instanceof String string) && string.startsWith((String) operands.get(0));
			default -> {
				Object typed = switch (comparison.type()) {
					case NUMBER -> (value instanceof Number number) ? new BigDecimal(number.toString()) : null;
					case TIMESTAMP -> (value instanceof String string) ? timestamp(string) : null;
					default -> null;
				};
				yield typed != null && ordered(typed, comparison);
			}
		};
	}

	private static boolean jsonEquals(Object value, Object operand) {
		if (operand instanceof BigDecimal number) {
			return value instanceof Number n && new BigDecimal(n.toString()).compareTo(number) == 0;
		}
		return operand.equals(value);
	}

	private static boolean ordered(Object value, Comparison comparison) {
		List<Object> operands = comparison.values();
		int first = compare(value, operands.get(0));
		return switch (comparison.op()) {
			case EQ -> first == 0;
			case NEQ -> first != 0;
			case GT -> first > 0;
			case GTE -> first >= 0;
			case LT -> first < 0;
			case LTE -> first <= 0;
			case BETWEEN -> first >= 0 && compare(value, operands.get(1)) <= 0;
			default -> throw new IllegalStateException(comparison.op().toString());
		};
	}

	private static boolean holds(BigDecimal value, Comparison comparison) {
		return ordered(value, comparison);
	}

	@SuppressWarnings("unchecked")
	private static int compare(Object a, Object b) {
		return ((Comparable<Object>) a).compareTo(b);
	}

	private static Object at(Map<String, Object> document, List<String> path) {
		Object value = document;
		for (String key : path) {
			if (!(value instanceof Map<?, ?> map)) {
				return null;
			}
			value = map.get(key);
		}
		return value;
	}

	/**
	 * A property as the SQL's try_numeric reads it: numbers, and strings that are
	 * numbers.
	 */
	private static BigDecimal loose(Object value) {
		if (value instanceof Number number) {
			return new BigDecimal(number.toString());
		}
		if (value instanceof String string) {
			try {
				return new BigDecimal(string.strip());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private static Instant timestamp(String value) {
		if (!value.matches("^\\d{4}-\\d{2}-\\d{2}.*")) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			try {
				return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			catch (DateTimeParseException ex2) {
				return null;
			}
		}
	}

}
