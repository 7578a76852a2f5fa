package io.lodestar.segment.rule;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import io.lodestar.segment.rule.Rule.Comparison;
import io.lodestar.segment.rule.Rule.Op;
import io.lodestar.segment.rule.Rule.Type;

/**
 * Compiles a checked rule into a SQL condition on {@code profile.profile p}. Values,
 * trait keys, event names and property names are always bound parameters; only fixed
 * fragments chosen by the rule's structure enter the SQL text.
 *
 * <p>
 * Semantics (the README's and the in-memory evaluator's): {@code neq}/{@code nin} hold
 * for a value that is present and differs; ordered comparisons of trait or property
 * values hold only for values of the operand's type; an event count or sum compares 0 for
 * a profile without matching events, an average, minimum or maximum has no value then and
 * never holds.
 */
public final class RuleCompiler {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final JsonMapper json;

	private final MapSqlParameterSource parameters = new MapSqlParameterSource();

	private int next;

	public RuleCompiler(JsonMapper json, String workspace) {
		this.json = json;
		this.parameters.addValue("workspace", workspace);
	}

	/**
	 * @param rule a checked rule
	 * @return its condition; the workspace is the {@code :workspace} parameter
	 */
	public String condition(Rule rule) {
		if (rule instanceof Rule.Group group) {
			List<String> parts = new ArrayList<>();
			for (Rule condition : group.conditions()) {
				parts.add("(" + condition(condition) + ")");
			}
			return String.join(group.all() ? " and " : " or ", parts);
		}
		if (rule instanceof Rule.Not not) {
			return "not coalesce((" + condition(not.condition()) + "), false)";
		}
		if (rule instanceof Rule.Compare compare) {
			if (compare.field() instanceof Rule.Trait trait) {
				return jsonCondition("p.traits", trait.path(), compare.comparison(), true);
			}
			return column(computedColumn((Rule.Computed) compare.field()), compare.comparison());
		}
		if (rule instanceof Rule.Event event) {
			return event(event);
		}
		if (rule instanceof Rule.Profiles profiles) {
			// one bound array literal (a list would become one placeholder per id)
			return "p.profile_id = any(cast(" + bind("{" + profiles.profileIds()
				.stream()
				.map(UUID::toString)
				.collect(java.util.stream.Collectors.joining(",")) + "}") + " as uuid[]))";
		}
		Rule.Segment segment = (Rule.Segment) rule;
		return "p.profile_id " + (segment.member() ? "in" : "not in")
				+ " (select m.profile_id from segment.membership m where m.segment_id = " + bind(segment.segmentId())
				+ ")";
	}

	public MapSqlParameterSource parameters() {
		return this.parameters;
	}

	private String event(Rule.Event event) {
		StringBuilder from = new StringBuilder("select e.profile_id from profile.profile_event e")
			.append(" where e.workspace_id = :workspace and e.event_type = ")
			.append(bind(event.eventType()));
		if (event.event() != null) {
			from.append(" and e.event_name = ").append(bind(event.event()));
		}
		if (event.from() != null) {
			from.append(" and e.occurred_at >= ").append(bind(Timestamp.from(event.from())));
		}
		if (event.to() != null) {
			from.append(" and e.occurred_at < ").append(bind(Timestamp.from(event.to())));
		}
		for (Rule.PropertyFilter filter : event.where()) {
			from.append(" and coalesce((")
				.append(jsonCondition("e.properties", filter.path(), filter.comparison(), false))
				.append("), false)");
		}
		Comparison comparison = event.comparison();
		if (atLeastOnce(event)) {
			// performed at all: a plain semi-join, without counting each profile's events
			return "p.profile_id in (" + from + ")";
		}
		if (never(event)) {
			// did not perform: an anti-join, likewise without counting
			return "p.profile_id not in (" + from + ")";
		}
		from.append(" group by e.profile_id");
		String measure = switch (event.measure()) {
			case COUNT -> "count(*)";
			case SUM -> "coalesce(sum(" + numeric(event) + "), 0)";
			case AVG -> "avg(" + numeric(event) + ")";
			case MIN -> "min(" + numeric(event) + ")";
			case MAX -> "max(" + numeric(event) + ")";
		};
		boolean zeroHolds = (event.measure() == Rule.Measure.COUNT || event.measure() == Rule.Measure.SUM)
				&& holds(comparison, BigDecimal.ZERO);
		String compared = ordered(measure, comparison);
		if (zeroHolds) {
			// profiles without matching events (0) hold too: exclude those whose measure
			// fails
			return "p.profile_id not in (" + from + " having not coalesce(" + compared + ", false))";
		}
		return "p.profile_id in (" + from + " having " + compared + ")";
	}

	/**
	 * Whether an event condition holds exactly for the profiles with at least one
	 * matching event: a count compared by {@code >} or {@code >=} that holds for 1 and
	 * not for 0.
	 */
	private static boolean atLeastOnce(Rule.Event event) {
		Comparison comparison = event.comparison();
		return event.measure() == Rule.Measure.COUNT && (comparison.op() == Op.GT || comparison.op() == Op.GTE)
				&& holds(comparison, BigDecimal.ONE) && !holds(comparison, BigDecimal.ZERO);
	}

	/**
	 * Whether an event condition holds exactly for the profiles without a matching event:
	 * a count compared by {@code =}, {@code <} or {@code <=} that holds for 0 and not for
	 * 1 ({@code performed: false} among them).
	 */
	private static boolean never(Rule.Event event) {
		Comparison comparison = event.comparison();
		return event.measure() == Rule.Measure.COUNT
				&& (comparison.op() == Op.EQ || comparison.op() == Op.LT || comparison.op() == Op.LTE)
				&& holds(comparison, BigDecimal.ZERO) && !holds(comparison, BigDecimal.ONE);
	}

	private String numeric(Rule.Event event) {
		return "profile.try_numeric(" + path("e.properties", event.measured(), true) + ")";
	}

	/** A comparison on a JSON document's value at a path (traits or event properties). */
	private String jsonCondition(String document, List<String> path, Comparison comparison, boolean indexed) {
		String value = path(document, path, false);
		String text = path(document, path, true);
		Op op = comparison.op();
		return switch (op) {
			case EXISTS -> "coalesce(jsonb_typeof(" + value + "), 'null') <> 'null'";
			case MISSING -> "coalesce(jsonb_typeof(" + value + "), 'null') = 'null'";
			case EQ -> equals(document, path, value, comparison.values().get(0), indexed);
			case NEQ ->
				value + " is not null and not " + equals(document, path, value, comparison.values().get(0), indexed);
			case IN, NIN -> {
				List<String> any = new ArrayList<>();
				for (Object operand : comparison.values()) {
					any.add(equals(document, path, value, operand, indexed));
				}
				String in = "(" + String.join(" or ", any) + ")";
				yield (op == Op.IN) ? in : value + " is not null and not " + in;
			}
			case CONTAINS -> {
				ArrayNode element = NODES.arrayNode().add((String) comparison.values().get(0));
				yield "case jsonb_typeof(" + value + ") when 'string' then strpos(" + text + ", "
						+ bind(comparison.values().get(0)) + ") > 0 when 'array' then " + value + " @> cast("
						+ bind(this.json.writeValueAsString(element)) + " as jsonb) else false end";
			}
			case STARTS_WITH -> "jsonb_typeof(" + value + ") = 'string' and starts_with(" + text + ", "
					+ bind(comparison.values().get(0)) + ")";
			default -> {
				String typed = switch (comparison.type()) {
					case NUMBER ->
						"(case when jsonb_typeof(" + value + ") = 'number' then (" + text + ")::numeric end)";
					case TIMESTAMP -> "profile.try_timestamptz(" + text + ")";
					default -> throw new IllegalStateException("ordered " + comparison.type());
				};
				yield ordered(typed, comparison);
			}
		};
	}

	/**
	 * JSON equality of the value at the path; on traits by containment, which the GIN
	 * index answers.
	 */
	private String equals(String document, List<String> path, String value, Object operand, boolean indexed) {
		JsonNode scalar = scalar(operand);
		if (indexed) {
			JsonNode contained = scalar;
			for (int i = path.size() - 1; i >= 0; i--) {
				ObjectNode parent = NODES.objectNode();
				parent.set(path.get(i), contained);
				contained = parent;
			}
			return document + " @> cast(" + bind(this.json.writeValueAsString(contained)) + " as jsonb)";
		}
		return value + " = cast(" + bind(this.json.writeValueAsString(scalar)) + " as jsonb)";
	}

	/** A comparison on a typed SQL expression (a column or a typed JSON value). */
	private String column(String expression, Comparison comparison) {
		Op op = comparison.op();
		List<Object> values = comparison.values();
		return switch (op) {
			case EXISTS -> expression + " is not null";
			case MISSING -> expression + " is null";
			case EQ -> expression + " = " + bind(sql(values.get(0)));
			case NEQ -> expression + " <> " + bind(sql(values.get(0)));
			case IN ->
				expression + " in (" + String.join(", ", values.stream().map((v) -> bind(sql(v))).toList()) + ")";
			case NIN ->
				expression + " not in (" + String.join(", ", values.stream().map((v) -> bind(sql(v))).toList()) + ")";
			case CONTAINS -> "strpos(" + expression + ", " + bind(values.get(0)) + ") > 0";
			case STARTS_WITH -> "starts_with(" + expression + ", " + bind(values.get(0)) + ")";
			default -> ordered(expression, comparison);
		};
	}

	private String ordered(String expression, Comparison comparison) {
		List<Object> values = comparison.values();
		return switch (comparison.op()) {
			case EQ -> expression + " = " + bind(sql(values.get(0)));
			case NEQ -> expression + " <> " + bind(sql(values.get(0)));
			case GT -> expression + " > " + bind(sql(values.get(0)));
			case GTE -> expression + " >= " + bind(sql(values.get(0)));
			case LT -> expression + " < " + bind(sql(values.get(0)));
			case LTE -> expression + " <= " + bind(sql(values.get(0)));
			case BETWEEN -> expression + " between " + bind(sql(values.get(0))) + " and " + bind(sql(values.get(1)));
			default -> throw new IllegalStateException("not an ordered comparison: " + comparison.op());
		};
	}

	/**
	 * Whether a number satisfies a numeric comparison (for the zero of empty counts and
	 * sums).
	 */
	static boolean holds(Comparison comparison, BigDecimal number) {
		List<Object> values = comparison.values();
		int first = number.compareTo((BigDecimal) values.get(0));
		return switch (comparison.op()) {
			case EQ -> first == 0;
			case NEQ -> first != 0;
			case GT -> first > 0;
			case GTE -> first >= 0;
			case LT -> first < 0;
			case LTE -> first <= 0;
			case BETWEEN -> first >= 0 && number.compareTo((BigDecimal) values.get(1)) <= 0;
			default -> false;
		};
	}

	private static String computedColumn(Rule.Computed computed) {
		return switch (computed) {
			case USER_ID -> "p.user_id";
			case FIRST_SEEN_AT -> "p.first_seen_at";
			case LAST_SEEN_AT -> "p.last_seen_at";
			case EVENT_COUNT -> "p.event_count";
			case PREDICTED_SPEND_365 -> ltv("predicted_spend_365");
			case PROBABILITY_ALIVE -> ltv("probability_alive");
			case EXPECTED_PURCHASES_90 -> ltv("expected_purchases_90");
			case RFM_TIER -> rfm("tier");
			case RFM_SCORE_R -> rfm("r_score");
			case RFM_SCORE_F -> rfm("f_score");
			case RFM_SCORE_M -> rfm("m_score");
			// profiles without computed traits yet have none of them: 0 sessions and
			// orders
			case SESSIONS -> "coalesce(" + computed("sessions") + ", 0)";
			case ORDERS -> "coalesce(" + computed("orders") + ", 0)";
			case REVENUE -> "coalesce(" + computed("revenue") + ", 0)";
			case AVERAGE_ORDER_VALUE -> computed("average_order_value");
			case FIRST_PURCHASE_AT -> computed("first_purchase_at");
			case LAST_PURCHASE_AT -> computed("last_purchase_at");
			case FAVOURITE_CATEGORY -> computed("favourite_category");
			case FAVOURITE_BRAND -> computed("favourite_brand");
			case ACQUISITION_SOURCE -> computed("acquisition_source");
			case ACQUISITION_MEDIUM -> computed("acquisition_medium");
			case ACQUISITION_CAMPAIGN -> computed("acquisition_campaign");
			case ACQUISITION_CHANNEL -> computed("acquisition_channel");
		};
	}

	/**
	 * etl-service's computed traits, {@code profile.profile_computed} (profile-service
	 * V16).
	 */
	private static String computed(String column) {
		return "(select c." + column + " from profile.profile_computed c where c.workspace_id = p.workspace_id"
				+ " and c.profile_id = p.profile_id)";
	}

	private static String rfm(String column) {
		return "(select r." + column + " from profile.profile_rfm r where r.workspace_id = p.workspace_id"
				+ " and r.profile_id = p.profile_id)";
	}

	private static String ltv(String column) {
		return "(select l." + column + " from profile.profile_ltv l where l.workspace_id = p.workspace_id"
				+ " and l.profile_id = p.profile_id)";
	}

	/** {@code doc -> :k0 -> :k1} (or {@code ->>} for the last key, as text). */
	private String path(String document, List<String> keys, boolean asText) {
		StringBuilder expression = new StringBuilder("(").append(document);
		for (int i = 0; i < keys.size(); i++) {
			expression.append((asText && i == keys.size() - 1) ? " ->> " : " -> ").append(bind(keys.get(i)));
		}
		return expression.append(')').toString();
	}

	private static JsonNode scalar(Object operand) {
		if (operand instanceof String string) {
			return NODES.stringNode(string);
		}
		if (operand instanceof BigDecimal number) {
			return NODES.numberNode(number);
		}
		if (operand instanceof Boolean bool) {
			return NODES.booleanNode(bool);
		}
		if (operand instanceof Instant instant) {
			return NODES.stringNode(instant.toString());
		}
		throw new IllegalArgumentException("not a scalar: " + operand);
	}

	private static Object sql(Object operand) {
		return (operand instanceof Instant instant) ? Timestamp.from(instant) : operand;
	}

	private String bind(Object value) {
		String name = "r" + this.next++;
		this.parameters.addValue(name, value);
		return ":" + name;
	}

}
