package io.lodestar.profile.search;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * Compiles a search's filters into a SQL condition on {@code profile.profile p}. Every
 * value and every trait key is bound as a parameter; only fixed fragments chosen from the
 * field and operator enter the SQL text. A filter that cannot be compiled is a 400
 * problem whose {@code pointer} names it ({@code /filters/2/value}).
 */
final class SearchSql {

	static final int MAX_FILTERS = 20;

	static final int MAX_IN_VALUES = 100;

	static final int MAX_TRAIT_DEPTH = 5;

	static final Set<String> CONSENT_PURPOSES = Set.of("analytics", "marketing", "personalisation");

	private final JsonMapper json;

	private final StringBuilder where = new StringBuilder("p.workspace_id = :workspace");

	private final MapSqlParameterSource parameters = new MapSqlParameterSource();

	private int next;

	SearchSql(JsonMapper json, Workspace workspace) {
		this.json = json;
		this.parameters.addValue("workspace", workspace.id());
	}

	String where() {
		return this.where.toString();
	}

	MapSqlParameterSource parameters() {
		return this.parameters;
	}

	SearchSql filters(List<SearchRequest.Filter> filters) {
		if (filters == null) {
			return this;
		}
		if (filters.size() > MAX_FILTERS) {
			throw invalid("/filters", "at most " + MAX_FILTERS + " filters");
		}
		for (int i = 0; i < filters.size(); i++) {
			SearchRequest.Filter filter = filters.get(i);
			String pointer = "/filters/" + i;
			if (filter == null || filter.field() == null || filter.field().isBlank()) {
				throw invalid(pointer + "/field", "field is required");
			}
			if (filter.op() == null) {
				throw invalid(pointer + "/op", "op is required");
			}
			this.where.append(" and (").append(condition(filter, pointer)).append(')');
		}
		return this;
	}

	/** Only profiles whose latest decision for the purpose grants it. */
	SearchSql requireConsent(String purpose) {
		this.where.append(" and ").append(consentGranted(bind(purpose)));
		return this;
	}

	String bind(Object value) {
		String name = "p" + this.next++;
		this.parameters.addValue(name, value);
		return ":" + name;
	}

	private String condition(SearchRequest.Filter filter, String pointer) {
		String field = filter.field();
		String op = filter.op().toLowerCase(Locale.ROOT);
		return switch (field) {
			case "userId" -> stringColumn("p.user_id", op, filter.value(), pointer);
			case "firstSeenAt" -> ordered("p.first_seen_at", Kind.TIMESTAMP, op, filter.value(), pointer);
			case "lastSeenAt" -> ordered("p.last_seen_at", Kind.TIMESTAMP, op, filter.value(), pointer);
			case "eventCount" -> ordered("p.event_count", Kind.NUMBER, op, filter.value(), pointer);
			case "rfm.tier" -> stringColumn("(select r.tier from profile.profile_rfm r where r.workspace_id ="
					+ " p.workspace_id and r.profile_id = p.profile_id)", op, filter.value(), pointer);
			case "ltv.predictedSpend365", "ltv.probabilityAlive", "ltv.expectedPurchases90" ->
				ordered(ltvColumn(field), Kind.NUMBER, op, filter.value(), pointer);
			// etl-service's computed traits; no row yet = 0 sessions, orders and revenue
			case "sessions", "orders", "revenue" ->
				ordered("coalesce(" + computedColumn(field) + ", 0)", Kind.NUMBER, op, filter.value(), pointer);
			case "averageOrderValue" -> ordered(computedColumn(field), Kind.NUMBER, op, filter.value(), pointer);
			case "firstPurchaseAt", "lastPurchaseAt" ->
				ordered(computedColumn(field), Kind.TIMESTAMP, op, filter.value(), pointer);
			case "favouriteCategory", "favouriteBrand", "acquisition.source", "acquisition.medium",
					"acquisition.campaign", "acquisition.channel" ->
				stringColumn(computedColumn(field), op, filter.value(), pointer);
			default -> {
				if (field.startsWith("traits.")) {
					yield trait(field.substring("traits.".length()), op, filter.value(), pointer);
				}
				if (field.startsWith("consent.")) {
					yield consent(field.substring("consent.".length()), op, filter.value(), pointer);
				}
				throw invalid(pointer + "/field", "unknown field '" + field
						+ "': use userId, firstSeenAt, lastSeenAt, eventCount, sessions, orders, revenue,"
						+ " averageOrderValue, firstPurchaseAt, lastPurchaseAt, favouriteCategory, favouriteBrand,"
						+ " acquisition.source|medium|campaign|channel, ltv.predictedSpend365, ltv.probabilityAlive,"
						+ " ltv.expectedPurchases90, rfm.tier, consent.<purpose> or traits.<key>");
			}
		};
	}

	/** A column of the profile's computed traits ({@code profile_computed}, V16). */
	private static String computedColumn(String field) {
		String column = switch (field) {
			case "sessions" -> "sessions";
			case "orders" -> "orders";
			case "revenue" -> "revenue";
			case "averageOrderValue" -> "average_order_value";
			case "firstPurchaseAt" -> "first_purchase_at";
			case "lastPurchaseAt" -> "last_purchase_at";
			case "favouriteCategory" -> "favourite_category";
			case "favouriteBrand" -> "favourite_brand";
			case "acquisition.source" -> "acquisition_source";
			case "acquisition.medium" -> "acquisition_medium";
			case "acquisition.campaign" -> "acquisition_campaign";
			default -> "acquisition_channel";
		};
		return "(select c." + column + " from profile.profile_computed c where c.workspace_id = p.workspace_id"
				+ " and c.profile_id = p.profile_id)";
	}

	/** The latest LTV prediction of the profile; profiles without one never match. */
	private static String ltvColumn(String field) {
		String column = switch (field) {
			case "ltv.predictedSpend365" -> "predicted_spend_365";
			case "ltv.probabilityAlive" -> "probability_alive";
			default -> "expected_purchases_90";
		};
		return "(select l." + column + " from profile.profile_ltv l where l.workspace_id = p.workspace_id"
				+ " and l.profile_id = p.profile_id)";
	}

	private String stringColumn(String column, String op, JsonNode value, String pointer) {
		return switch (op) {
			case "eq" -> column + " = " + bind(string(value, pointer));
			case "neq" -> column + " <> " + bind(string(value, pointer));
			case "prefix" -> "starts_with(" + column + ", " + bind(string(value, pointer)) + ")";
			case "in" -> column + " in (" + String.join(", ", bindAll(strings(value, pointer))) + ")";
			case "exists" -> noValue(value, pointer, column + " is not null");
			case "missing" -> noValue(value, pointer, column + " is null");
			default -> throw unsupported(op, "a string field", pointer);
		};
	}

	private String ordered(String column, Kind kind, String op, JsonNode value, String pointer) {
		return switch (op) {
			case "eq" -> column + " = " + bind(kind.read(this, value, pointer + "/value"));
			case "neq" -> column + " <> " + bind(kind.read(this, value, pointer + "/value"));
			case "gt" -> column + " > " + bind(kind.read(this, value, pointer + "/value"));
			case "gte" -> column + " >= " + bind(kind.read(this, value, pointer + "/value"));
			case "lt" -> column + " < " + bind(kind.read(this, value, pointer + "/value"));
			case "lte" -> column + " <= " + bind(kind.read(this, value, pointer + "/value"));
			case "between" -> between(column, kind, value, pointer);
			case "exists" -> noValue(value, pointer, column + " is not null");
			case "missing" -> noValue(value, pointer, column + " is null");
			case "in" -> {
				List<Object> values = new ArrayList<>();
				JsonNode array = array(value, pointer);
				for (int i = 0; i < array.size(); i++) {
					values.add(kind.read(this, array.get(i), pointer + "/value/" + i));
				}
				yield column + " in (" + String.join(", ", bindAll(values)) + ")";
			}
			default -> throw unsupported(op, "a " + kind.name().toLowerCase(Locale.ROOT) + " field", pointer);
		};
	}

	private String between(String column, Kind kind, JsonNode value, String pointer) {
		if (value == null || !value.isArray() || value.size() != 2) {
			throw invalid(pointer + "/value", "between takes [from, to] (both inclusive)");
		}
		Object from = kind.read(this, value.get(0), pointer + "/value/0");
		Object to = kind.read(this, value.get(1), pointer + "/value/1");
		return column + " between " + bind(from) + " and " + bind(to);
	}

	private String trait(String path, String op, JsonNode value, String pointer) {
		String[] keys = path.split("\\.", -1);
		if (keys.length > MAX_TRAIT_DEPTH) {
			throw invalid(pointer + "/field", "a trait path has at most " + MAX_TRAIT_DEPTH + " keys");
		}
		StringBuilder json = new StringBuilder("p.traits");
		for (int i = 0; i < keys.length; i++) {
			if (keys[i].isEmpty() || keys[i].length() > 100) {
				throw invalid(pointer + "/field", "trait keys are 1-100 characters, separated by dots");
			}
			json.append(i < keys.length - 1 ? " -> " : "").append(i < keys.length - 1 ? bind(keys[i]) : "");
		}
		String parent = json.toString();
		String lastKey = bind(keys[keys.length - 1]);
		String asJson = "(" + parent + " -> " + lastKey + ")";
		String asText = "(" + parent + " ->> " + lastKey + ")";
		return switch (op) {
			case "eq" -> "p.traits @> cast(" + bind(containment(keys, scalar(value, pointer))) + " as jsonb)";
			case "neq" -> asJson + " is not null and not p.traits @> cast("
					+ bind(containment(keys, scalar(value, pointer))) + " as jsonb)";
			case "in" -> {
				JsonNode array = array(value, pointer);
				List<String> any = new ArrayList<>();
				for (int i = 0; i < array.size(); i++) {
					any.add("p.traits @> cast(" + bind(containment(keys, scalar(array.get(i), pointer + "/value/" + i)))
							+ " as jsonb)");
				}
				yield String.join(" or ", any);
			}
			case "prefix" -> "starts_with(" + asText + ", " + bind(string(value, pointer)) + ")";
			case "exists" -> noValue(value, pointer, "coalesce(jsonb_typeof(" + asJson + "), 'null') <> 'null'");
			case "missing" -> noValue(value, pointer, "coalesce(jsonb_typeof(" + asJson + "), 'null') = 'null'");
			case "gt", "gte", "lt", "lte", "between" -> {
				JsonNode sample = "between".equals(op) && value != null && value.isArray() && !value.isEmpty()
						? value.get(0) : value;
				Kind kind = (sample != null && sample.isNumber()) ? Kind.NUMBER : Kind.TIMESTAMP;
				String typed = (kind == Kind.NUMBER) ? "profile.try_numeric(" + asText + ")"
						: "profile.try_timestamptz(" + asText + ")";
				yield ordered(typed, kind, op, value, pointer);
			}
			default -> throw unsupported(op, "a trait", pointer);
		};
	}

	private String consent(String purpose, String op, JsonNode value, String pointer) {
		if (!CONSENT_PURPOSES.contains(purpose)) {
			throw invalid(pointer + "/field", "consent purposes are analytics, marketing and personalisation");
		}
		if (!"eq".equals(op)) {
			throw unsupported(op, "consent (use eq true or eq false)", pointer);
		}
		if (value == null || !value.isBoolean()) {
			throw invalid(pointer + "/value", "consent is compared with true (granted) or false (not granted)");
		}
		String granted = consentGranted(bind(purpose));
		return value.booleanValue() ? granted : "not " + granted;
	}

	private static String consentGranted(String purposeParameter) {
		return "exists (select 1 from profile.profile_consent c where c.workspace_id = p.workspace_id"
				+ " and c.profile_id = p.profile_id and c.purpose = " + purposeParameter + " and c.granted)";
	}

	private String containment(String[] keys, JsonNode value) {
		JsonNode document = value;
		for (int i = keys.length - 1; i >= 0; i--) {
			ObjectNode parent = this.json.createObjectNode();
			parent.set(keys[i], document);
			document = parent;
		}
		return this.json.writeValueAsString(document);
	}

	private List<String> bindAll(List<?> values) {
		return values.stream().map(this::bind).toList();
	}

	private static String noValue(JsonNode value, String pointer, String condition) {
		if (value != null && !value.isNull()) {
			throw invalid(pointer + "/value", "exists and missing take no value");
		}
		return condition;
	}

	private static JsonNode scalar(JsonNode value, String pointer) {
		if (value == null || !(value.isString() || value.isNumber() || value.isBoolean())) {
			throw invalid(pointer + "/value", "a string, number or boolean is required");
		}
		return value;
	}

	private static String string(JsonNode value, String pointer) {
		if (value == null || !value.isString() || value.stringValue().length() > 1000) {
			throw invalid(pointer + "/value", "a string of at most 1000 characters is required");
		}
		return value.stringValue();
	}

	private static List<String> strings(JsonNode value, String pointer) {
		JsonNode array = array(value, pointer);
		List<String> strings = new ArrayList<>();
		for (int i = 0; i < array.size(); i++) {
			strings.add(string(array.get(i), pointer + "/value/" + i));
		}
		return strings;
	}

	private static JsonNode array(JsonNode value, String pointer) {
		if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES) {
			throw invalid(pointer + "/value", "in takes an array of 1-" + MAX_IN_VALUES + " values");
		}
		return value;
	}

	private static BadRequestException unsupported(String op, String what, String pointer) {
		return invalid(pointer + "/op", "operator '" + op + "' does not apply to " + what);
	}

	static BadRequestException invalid(String pointer, String reason) {
		BadRequestException exception = new BadRequestException("invalid-search", "Invalid search", reason);
		exception.getBody().setProperty("pointer", pointer);
		return exception;
	}

	/** The typed operands of ordered comparisons. */
	enum Kind {

		NUMBER {
			@Override
			Object read(SearchSql sql, JsonNode value, String pointer) {
				if (value == null || !value.isNumber()) {
					throw invalid(pointer, "a number is required");
				}
				return value.decimalValue();
			}
		},

		TIMESTAMP {
			@Override
			Object read(SearchSql sql, JsonNode value, String pointer) {
				if (value == null || !value.isString()) {
					throw invalid(pointer, "an ISO-8601 instant such as 2026-11-24T00:00:00Z is required");
				}
				try {
					return Timestamp.from(Instant.parse(value.stringValue()));
				}
				catch (DateTimeParseException ex) {
					throw invalid(pointer, "an ISO-8601 instant such as 2026-11-24T00:00:00Z is required");
				}
			}
		};

		abstract Object read(SearchSql sql, JsonNode value, String pointer);

	}

}
