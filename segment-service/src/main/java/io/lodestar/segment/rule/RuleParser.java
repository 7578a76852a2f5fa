package io.lodestar.segment.rule;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

import io.lodestar.segment.rule.Rule.Comparison;
import io.lodestar.segment.rule.Rule.Op;
import io.lodestar.segment.rule.Rule.Type;

/**
 * Parses and checks a rule (version 1). Every problem is collected with the JSON pointer
 * of the node it is in, relative to {@code base} (e.g. {@code /rule}); relative dates are
 * resolved against the clock, so the same saved rule moves with time.
 */
public final class RuleParser {

	static final int MAX_DEPTH = 10;

	static final int MAX_CONDITIONS = 100;

	static final int MAX_VALUES = 100;

	private static final Set<String> EVENT_TYPES = Set.of("track", "page", "screen", "identify", "group", "alias");

	private final Clock clock;

	private final Predicate<UUID> segmentExists;

	private final List<RuleException.RuleError> errors = new ArrayList<>();

	private final Set<UUID> references = new HashSet<>();

	private int conditions;

	/**
	 * @param clock what "now" is for relative dates
	 * @param segmentExists whether a segment id names a saved segment of the caller's
	 * workspace
	 */
	public RuleParser(Clock clock, Predicate<UUID> segmentExists) {
		this.clock = clock;
		this.segmentExists = segmentExists;
	}

	/**
	 * @param rule the rule's JSON
	 * @param base the pointer of the rule in the request body
	 * @return the checked rule
	 * @throws RuleException listing every problem
	 */
	public Rule parse(JsonNode rule, String base) {
		Rule parsed = node(rule, base, 1);
		if (!this.errors.isEmpty()) {
			throw new RuleException(this.errors);
		}
		return parsed;
	}

	/** The saved segments the parsed rule refers to. */
	public Set<UUID> references() {
		return this.references;
	}

	private Rule node(JsonNode node, String at, int depth) {
		if (node == null || !node.isObject()) {
			return error(at, "a condition is an object with a type");
		}
		if (depth > MAX_DEPTH) {
			return error(at, "groups nest at most " + MAX_DEPTH + " deep");
		}
		if (++this.conditions > MAX_CONDITIONS) {
			return error(at, "a rule has at most " + MAX_CONDITIONS + " conditions and groups");
		}
		String type = text(node.get("type"));
		if (type == null) {
			return error(at + "/type", "type is required: and, or, not, trait, computed, event, segment or profiles");
		}
		return switch (type) {
			case "and", "or" -> group(node, at, depth, "and".equals(type));
			case "not" -> {
				only(node, at, "type", "condition");
				Rule inner = node(node.get("condition"), at + "/condition", depth + 1);
				yield (inner != null) ? new Rule.Not(inner) : null;
			}
			case "trait" -> trait(node, at);
			case "computed" -> computed(node, at);
			case "event" -> event(node, at);
			case "segment" -> segment(node, at);
			case "profiles" -> profiles(node, at);
			default -> error(at + "/type",
					"unknown type '" + type + "': and, or, not, trait, computed, event, segment or profiles");
		};
	}

	/** The most profile ids one {@code profiles} condition lists. */
	static final int MAX_PROFILE_IDS = 10_000;

	private Rule group(JsonNode node, String at, int depth, boolean all) {
		only(node, at, "type", "conditions");
		JsonNode conditions = node.get("conditions");
		if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
			return error(at + "/conditions", "a group needs a non-empty array of conditions");
		}
		List<Rule> parsed = new ArrayList<>();
		for (int i = 0; i < conditions.size(); i++) {
			parsed.add(node(conditions.get(i), at + "/conditions/" + i, depth + 1));
		}
		return parsed.contains(null) ? null : new Rule.Group(all, parsed);
	}

	private Rule trait(JsonNode node, String at) {
		only(node, at, "type", "trait", "op", "value");
		List<String> path = path(node.get("trait"), at + "/trait");
		Comparison comparison = comparison(node, at, null);
		return (path != null && comparison != null) ? new Rule.Compare(new Rule.Trait(path), comparison) : null;
	}

	private Rule computed(JsonNode node, String at) {
		only(node, at, "type", "field", "op", "value");
		String name = text(node.get("field"));
		Rule.Computed field = (name != null) ? Rule.Computed.named(name) : null;
		if (field == null) {
			return error(at + "/field", "field is one of "
					+ Arrays.stream(Rule.Computed.values()).map((computed) -> computed.name).toList());
		}
		Comparison comparison = comparison(node, at, field.type);
		return (comparison != null) ? new Rule.Compare(field, comparison) : null;
	}

	private Rule event(JsonNode node, String at) {
		only(node, at, "type", "event", "eventType", "performed", "where", "count", "aggregate", "window");
		String eventType = (node.has("eventType")) ? text(node.get("eventType")) : "track";
		if (eventType == null || !EVENT_TYPES.contains(eventType)) {
			error(at + "/eventType", "eventType is one of " + EVENT_TYPES);
		}
		String event = null;
		if (node.has("event")) {
			event = text(node.get("event"));
			if (event == null || event.isEmpty() || event.length() > 200) {
				error(at + "/event", "event is a name of 1-200 characters");
			}
		}
		else if ("track".equals(eventType)) {
			error(at + "/event", "a track condition names its event");
		}
		boolean performed = true;
		if (node.has("performed")) {
			if (!node.get("performed").isBoolean()) {
				error(at + "/performed", "performed is true or false");
			}
			performed = node.get("performed").asBoolean(true);
		}
		List<Rule.PropertyFilter> where = new ArrayList<>();
		JsonNode filters = node.get("where");
		if (filters != null) {
			if (!filters.isArray() || filters.size() > 20) {
				error(at + "/where", "where is an array of at most 20 property conditions");
			}
			else {
				for (int i = 0; i < filters.size(); i++) {
					String f = at + "/where/" + i;
					JsonNode filter = filters.get(i);
					if (filter == null || !filter.isObject()) {
						error(f, "a property condition is an object: property, op, value");
						continue;
					}
					only(filter, f, "property", "op", "value");
					List<String> path = path(filter.get("property"), f + "/property");
					Comparison comparison = comparison(filter, f, null);
					if (path != null && comparison != null) {
						where.add(new Rule.PropertyFilter(path, comparison));
					}
				}
			}
		}
		Instant[] window = window(node.get("window"), at + "/window");
		Rule.Measure measure = Rule.Measure.COUNT;
		List<String> measured = null;
		Comparison comparison = new Comparison(Op.GTE, Type.NUMBER, List.of(java.math.BigDecimal.ONE));
		if (node.has("count") && node.has("aggregate")) {
			error(at + "/aggregate", "a condition counts or aggregates, not both");
		}
		else if (node.has("count")) {
			comparison = measureComparison(node.get("count"), at + "/count", true);
		}
		else if (node.has("aggregate")) {
			JsonNode aggregate = node.get("aggregate");
			String fn = (aggregate != null) ? text(aggregate.get("fn")) : null;
			measure = switch ((fn != null) ? fn : "") {
				case "sum" -> Rule.Measure.SUM;
				case "avg" -> Rule.Measure.AVG;
				case "min" -> Rule.Measure.MIN;
				case "max" -> Rule.Measure.MAX;
				default -> {
					error(at + "/aggregate/fn", "fn is sum, avg, min or max");
					yield Rule.Measure.SUM;
				}
			};
			if (aggregate != null && aggregate.isObject()) {
				only(aggregate, at + "/aggregate", "fn", "property", "op", "value");
				measured = path(aggregate.get("property"), at + "/aggregate/property");
			}
			comparison = measureComparison(aggregate, at + "/aggregate", false);
		}
		if (!performed) {
			if (node.has("count") || node.has("aggregate")) {
				error(at + "/performed", "performed false takes no count or aggregate (use count eq 0)");
			}
			comparison = new Comparison(Op.EQ, Type.NUMBER, List.of(java.math.BigDecimal.ZERO));
		}
		if (comparison == null || window == null) {
			return null;
		}
		return new Rule.Event(eventType, event, where, window[0], window[1], measure, measured, comparison);
	}

	private Rule segment(JsonNode node, String at) {
		only(node, at, "type", "segmentId", "member");
		UUID id = null;
		try {
			id = UUID.fromString(String.valueOf(text(node.get("segmentId"))));
		}
		catch (IllegalArgumentException ex) {
			return error(at + "/segmentId", "segmentId is the id of a saved segment");
		}
		if (!this.segmentExists.test(id)) {
			return error(at + "/segmentId", "no saved segment " + id + " in this workspace");
		}
		boolean member = true;
		if (node.has("member")) {
			if (!node.get("member").isBoolean()) {
				return error(at + "/member", "member is true or false");
			}
			member = node.get("member").booleanValue();
		}
		this.references.add(id);
		return new Rule.Segment(id, member);
	}

	private Rule profiles(JsonNode node, String at) {
		only(node, at, "type", "profileIds");
		JsonNode ids = node.get("profileIds");
		if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_PROFILE_IDS) {
			return error(at + "/profileIds", "profileIds is an array of 1-" + MAX_PROFILE_IDS + " profile ids");
		}
		java.util.Set<UUID> parsed = new java.util.LinkedHashSet<>();
		for (int i = 0; i < ids.size(); i++) {
			try {
				parsed.add(UUID.fromString(String.valueOf(text(ids.get(i)))));
			}
			catch (IllegalArgumentException ex) {
				return error(at + "/profileIds/" + i, "a profile id is a UUID");
			}
		}
		return new Rule.Profiles(List.copyOf(parsed));
	}

	/** An event's window: withinLast a duration, or from/to instants. */
	private Instant[] window(JsonNode window, String at) {
		if (window == null) {
			return new Instant[2];
		}
		if (!window.isObject()) {
			error(at, "a window is {\"withinLast\":{\"amount\":30,\"unit\":\"days\"}} or {\"from\":…,\"to\":…}");
			return null;
		}
		only(window, at, "withinLast", "from", "to");
		if (window.has("withinLast")) {
			if (window.has("from") || window.has("to")) {
				error(at, "a window is relative (withinLast) or absolute (from/to), not both");
				return null;
			}
			Instant since = ago(window.get("withinLast"), at + "/withinLast");
			return (since != null) ? new Instant[] { since, null } : null;
		}
		Instant from = window.has("from") ? instant(window.get("from"), at + "/from") : null;
		Instant to = window.has("to") ? instant(window.get("to"), at + "/to") : null;
		if ((window.has("from") && from == null) || (window.has("to") && to == null)) {
			return null;
		}
		if (from == null && to == null) {
			error(at, "a window needs withinLast, from or to");
			return null;
		}
		if (from != null && to != null && !from.isBefore(to)) {
			error(at + "/to", "to must be after from");
			return null;
		}
		return new Instant[] { from, to };
	}

	private Comparison measureComparison(JsonNode node, String at, boolean count) {
		if (node == null || !node.isObject()) {
			error(at, count ? "count is {\"op\":\"gte\",\"value\":2}"
					: "aggregate is {\"fn\",\"property\",\"op\",\"value\"}");
			return null;
		}
		if (count) {
			only(node, at, "op", "value");
		}
		Op op = Op.named(String.valueOf(text(node.get("op"))));
		if (op == null || !Set.of(Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.BETWEEN).contains(op)) {
			error(at + "/op", "op is eq, neq, gt, gte, lt, lte or between");
			return null;
		}
		Comparison comparison = comparison(node, at, Type.NUMBER);
		if (comparison != null && count) {
			for (Object value : comparison.values()) {
				java.math.BigDecimal number = (java.math.BigDecimal) value;
				if (number.signum() < 0 || number.stripTrailingZeros().scale() > 0) {
					error(at + "/value", "a count is a whole number, 0 or more");
					return null;
				}
			}
		}
		return comparison;
	}

	/**
	 * An operator and its operands. The operand type is the field's when it has one, else
	 * the JSON value's (a string that is an ISO-8601 instant or date is a timestamp for
	 * ordered comparisons).
	 */
	private Comparison comparison(JsonNode node, String at, Type fieldType) {
		String name = text(node.get("op"));
		Op op = (name != null) ? Op.named(name) : null;
		if (op == null) {
			error(at + "/op", "op is one of eq, neq, in, nin, contains, startsWith, between, gt, gte, lt, lte, "
					+ "exists, missing, withinLast, moreThanAgo");
			return null;
		}
		JsonNode value = node.get("value");
		String v = at + "/value";
		switch (op) {
			case EXISTS, MISSING -> {
				if (value != null && !value.isNull()) {
					error(v, op.json + " takes no value");
					return null;
				}
				return new Comparison(op, null, List.of());
			}
			case WITHIN_LAST, MORE_THAN_AGO -> {
				if (fieldType != null && fieldType != Type.TIMESTAMP) {
					error(at + "/op", op.json + " applies to timestamps");
					return null;
				}
				Instant since = ago(value, v);
				if (since == null) {
					return null;
				}
				return new Comparison((op == Op.WITHIN_LAST) ? Op.GTE : Op.LT, Type.TIMESTAMP, List.of(since));
			}
			case CONTAINS, STARTS_WITH -> {
				if (fieldType != null && fieldType != Type.STRING) {
					error(at + "/op", op.json + " applies to strings");
					return null;
				}
				String string = text(value);
				if (string == null || string.isEmpty() || string.length() > 1000) {
					error(v, "a string of 1-1000 characters (without NUL) is required");
					return null;
				}
				return new Comparison(op, Type.STRING, List.of(string));
			}
			case IN, NIN -> {
				if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
					error(v, op.json + " takes an array of 1-" + MAX_VALUES + " values");
					return null;
				}
				List<Object> values = new ArrayList<>();
				Type type = null;
				for (int i = 0; i < value.size(); i++) {
					Typed typed = scalar(value.get(i), v + "/" + i, fieldType, false);
					if (typed == null) {
						return null;
					}
					if (type != null && typed.type() != type) {
						error(v + "/" + i, "every value of " + op.json + " has the same type");
						return null;
					}
					type = typed.type();
					values.add(typed.value());
				}
				return new Comparison(op, type, values);
			}
			case BETWEEN -> {
				if (value == null || !value.isArray() || value.size() != 2) {
					error(v, "between takes [from, to], both inclusive");
					return null;
				}
				Typed from = scalar(value.get(0), v + "/0", fieldType, true);
				Typed to = scalar(value.get(1), v + "/1", fieldType, true);
				if (from == null || to == null) {
					return null;
				}
				if (from.type() != to.type()) {
					error(v, "both bounds have the same type");
					return null;
				}
				if (compare(from.value(), to.value()) > 0) {
					error(v + "/1", "the upper bound is below the lower bound");
					return null;
				}
				return new Comparison(op, from.type(), List.of(from.value(), to.value()));
			}
			case GT, GTE, LT, LTE -> {
				Typed typed = scalar(value, v, fieldType, true);
				return (typed != null) ? new Comparison(op, typed.type(), List.of(typed.value())) : null;
			}
			default -> {
				Typed typed = scalar(value, v, fieldType, false);
				return (typed != null) ? new Comparison(op, typed.type(), List.of(typed.value())) : null;
			}
		}
	}

	/** A typed operand: for ordered comparisons strings must be instants (or dates). */
	private Typed scalar(JsonNode value, String at, Type fieldType, boolean ordered) {
		Type type = fieldType;
		if (type == null) {
			if (value != null && value.isNumber()) {
				type = Type.NUMBER;
			}
			else if (value != null && value.isBoolean()) {
				type = Type.BOOLEAN;
			}
			else if (value != null && value.isString()) {
				type = ordered ? Type.TIMESTAMP : Type.STRING;
			}
			else {
				error(at, "a string, number or boolean is required");
				return null;
			}
		}
		if (ordered && type == Type.BOOLEAN) {
			error(at, "booleans are not ordered");
			return null;
		}
		return switch (type) {
			case NUMBER -> (value != null && value.isNumber()) ? new Typed(Type.NUMBER, value.decimalValue())
					: fail(at, "a number is required");
			case BOOLEAN -> (value != null && value.isBoolean()) ? new Typed(Type.BOOLEAN, value.booleanValue())
					: fail(at, "true or false is required");
			case STRING -> (text(value) != null && text(value).length() <= 1000) ? new Typed(Type.STRING, text(value))
					: fail(at, "a string of at most 1000 characters (without NUL) is required");
			case TIMESTAMP -> {
				Instant instant = instant(value, at);
				yield (instant != null) ? new Typed(Type.TIMESTAMP, instant) : null;
			}
		};
	}

	private Typed fail(String at, String reason) {
		error(at, reason);
		return null;
	}

	/** An ISO-8601 instant, or a date (its start, UTC). */
	private Instant instant(JsonNode value, String at) {
		if (value != null && value.isString()) {
			try {
				return Instant.parse(value.stringValue());
			}
			catch (DateTimeParseException ex) {
				try {
					return LocalDate.parse(value.stringValue()).atStartOfDay(ZoneOffset.UTC).toInstant();
				}
				catch (DateTimeParseException ex2) {
					// answered below
				}
			}
		}
		error(at, "an ISO-8601 instant (2026-11-24T00:00:00Z) or date (2026-11-24) is required");
		return null;
	}

	/** {"amount": 30, "unit": "days"} before now. */
	private Instant ago(JsonNode value, String at) {
		if (value == null || !value.isObject() || !value.path("amount").isIntegralNumber()
				|| value.path("amount").asLong() < 1 || value.path("amount").asLong() > 36_500) {
			error(at, "a relative time is {\"amount\": 1-36500, \"unit\": \"minutes|hours|days|weeks|months|years\"}");
			return null;
		}
		only(value, at, "amount", "unit");
		long amount = value.path("amount").asLong();
		java.time.ZonedDateTime now = this.clock.instant().atZone(ZoneOffset.UTC);
		return switch (String.valueOf(text(value.get("unit")))) {
			case "minutes" -> now.minusMinutes(amount).toInstant();
			case "hours" -> now.minusHours(amount).toInstant();
			case "days" -> now.minusDays(amount).toInstant();
			case "weeks" -> now.minusWeeks(amount).toInstant();
			case "months" -> now.minusMonths(amount).toInstant();
			case "years" -> now.minusYears(amount).toInstant();
			default -> {
				error(at + "/unit", "unit is minutes, hours, days, weeks, months or years");
				yield null;
			}
		};
	}

	/** A dotted path of 1-5 keys of 1-100 characters. */
	private List<String> path(JsonNode value, String at) {
		String text = text(value);
		if (text == null) {
			error(at, "a key (dotted path for nested values) is required");
			return null;
		}
		List<String> keys = Arrays.asList(text.split("\\.", -1));
		if (keys.size() > 5 || keys.stream().anyMatch((key) -> key.isEmpty() || key.length() > 100)) {
			error(at, "a path has 1-5 keys of 1-100 characters, separated by dots");
			return null;
		}
		return keys;
	}

	private void only(JsonNode node, String at, String... allowed) {
		Set<String> known = Set.of(allowed);
		for (String name : node.propertyNames()) {
			if (!known.contains(name)) {
				error(at + "/" + name.replace("~", "~0").replace("/", "~1"), "unknown field '" + name + "'");
			}
		}
	}

	private Rule error(String pointer, String reason) {
		this.errors.add(new RuleException.RuleError(pointer, reason));
		return null;
	}

	private static String text(JsonNode node) {
		return (node != null && node.isString() && node.stringValue().indexOf(0) < 0) ? node.stringValue() : null;
	}

	@SuppressWarnings("unchecked")
	private static int compare(Object a, Object b) {
		return ((Comparable<Object>) a).compareTo(b);
	}

	private record Typed(Type type, Object value) {
	}

}
