package io.lodestar.segment.rule;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A parsed, checked segment rule (version 1). See segment-service's README for the JSON.
 */
public sealed interface Rule {

	/** Every condition holds ({@code and}) or at least one does ({@code or}). */
	record Group(boolean all, List<Rule> conditions) implements Rule {
	}

	/** The condition does not hold. */
	record Not(Rule condition) implements Rule {
	}

	/**
	 * A comparison on a profile value.
	 *
	 * @param field what is compared
	 * @param comparison how
	 */
	record Compare(Field field, Comparison comparison) implements Rule {
	}

	/**
	 * The profile did (or did not) perform an event.
	 *
	 * @param eventType {@code track}, {@code page} …
	 * @param event the track event's name, or null for any
	 * @param where conditions on the event's properties, all of which must hold
	 * @param from the window's start (inclusive), or null
	 * @param to the window's end (exclusive), or null
	 * @param measure what is counted or aggregated over the matching events
	 * @param measured the aggregated property's path (null for a count)
	 * @param comparison the measure's comparison
	 */
	record Event(String eventType, String event, List<PropertyFilter> where, Instant from, Instant to, Measure measure,
			List<String> measured, Comparison comparison) implements Rule {
	}

	/** Membership of another saved segment. */
	record Segment(UUID segmentId, boolean member) implements Rule {
	}

	/**
	 * One of these profiles, by id — a list someone chose or an analysis produced (the
	 * profiles who dropped out of a funnel). Ids of profiles merged away match nothing.
	 */
	record Profiles(List<UUID> profileIds) implements Rule {
	}

	/** A condition on one event property (a dotted path). */
	record PropertyFilter(List<String> path, Comparison comparison) {
	}

	/** The profile values rules can compare. */
	sealed interface Field {

	}

	/** A trait, by its dotted path. */
	record Trait(List<String> path) implements Field {
	}

	/** A computed value with its SQL expression on {@code profile.profile p}. */
	enum Computed implements Field {

		USER_ID("userId", Type.STRING), FIRST_SEEN_AT("firstSeenAt", Type.TIMESTAMP),
		LAST_SEEN_AT("lastSeenAt", Type.TIMESTAMP), EVENT_COUNT("eventCount", Type.NUMBER),
		PREDICTED_SPEND_365("ltv.predictedSpend365", Type.NUMBER),
		PROBABILITY_ALIVE("ltv.probabilityAlive", Type.NUMBER),
		EXPECTED_PURCHASES_90("ltv.expectedPurchases90", Type.NUMBER), RFM_TIER("rfm.tier", Type.STRING),
		RFM_SCORE_R("rfm.recencyScore", Type.NUMBER), RFM_SCORE_F("rfm.frequencyScore", Type.NUMBER),
		RFM_SCORE_M("rfm.monetaryScore", Type.NUMBER), SESSIONS("sessions", Type.NUMBER), ORDERS("orders", Type.NUMBER),
		REVENUE("revenue", Type.NUMBER), AVERAGE_ORDER_VALUE("averageOrderValue", Type.NUMBER),
		FIRST_PURCHASE_AT("firstPurchaseAt", Type.TIMESTAMP), LAST_PURCHASE_AT("lastPurchaseAt", Type.TIMESTAMP),
		FAVOURITE_CATEGORY("favouriteCategory", Type.STRING), FAVOURITE_BRAND("favouriteBrand", Type.STRING),
		ACQUISITION_SOURCE("acquisition.source", Type.STRING), ACQUISITION_MEDIUM("acquisition.medium", Type.STRING),
		ACQUISITION_CAMPAIGN("acquisition.campaign", Type.STRING),
		ACQUISITION_CHANNEL("acquisition.channel", Type.STRING);

		final String name;

		final Type type;

		Computed(String name, Type type) {
			this.name = name;
			this.type = type;
		}

		static Computed named(String name) {
			for (Computed computed : values()) {
				if (computed.name.equals(name)) {
					return computed;
				}
			}
			return null;
		}

	}

	/** The measures of an event condition. */
	enum Measure {

		COUNT, SUM, AVG, MIN, MAX

	}

	/** Value types. */
	enum Type {

		STRING, NUMBER, BOOLEAN, TIMESTAMP

	}

	/**
	 * A comparison: an operator and its typed operands.
	 *
	 * @param op the operator
	 * @param type the operands' type (null for exists/missing)
	 * @param values the operands: one, two for between, several for in/nin
	 */
	record Comparison(Op op, Type type, List<Object> values) {
	}

	/** Operators. */
	enum Op {

		EQ("eq"), NEQ("neq"), IN("in"), NIN("nin"), CONTAINS("contains"), STARTS_WITH("startsWith"), BETWEEN("between"),
		GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), EXISTS("exists"), MISSING("missing"), WITHIN_LAST("withinLast"),
		MORE_THAN_AGO("moreThanAgo");

		final String json;

		Op(String json) {
			this.json = json;
		}

		static Op named(String json) {
			for (Op op : values()) {
				if (op.json.equals(json)) {
					return op;
				}
			}
			return null;
		}

	}

}
