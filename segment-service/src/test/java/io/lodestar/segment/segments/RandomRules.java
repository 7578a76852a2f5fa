package io.lodestar.segment.segments;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random profiles, events and rules over a small vocabulary, so that random rules
 * hit real values and split the population.
 */
final class RandomRules {

	static final String[] EVENTS = { "Order Completed", "Product Viewed", "Signed Up" };

	private static final String[] COUNTRIES = { "United Kingdom", "United States", "Portugal" };

	private static final String[] CITIES = { "London", "Lisbon", "Boston" };

	private RandomRules() {
	}

	static String traits(Random random) {
		List<String> fields = new ArrayList<>();
		if (random.nextInt(5) > 0) {
			fields.add("\"country\":\"" + pick(random, COUNTRIES) + "\"");
		}
		if (random.nextBoolean()) {
			fields.add("\"plan\":\"" + (random.nextBoolean() ? "pro" : "free") + "\"");
		}
		switch (random.nextInt(4)) {
			case 0 -> fields.add("\"age\":" + (18 + random.nextInt(50)));
			case 1 -> fields.add("\"age\":" + (18 + random.nextInt(50)) + ".5");
			case 2 -> fields.add("\"age\":\"unknown\"");
			default -> {
			}
		}
		if (random.nextBoolean()) {
			fields.add("\"vip\":" + random.nextBoolean());
		}
		if (random.nextBoolean()) {
			fields.add("\"tags\":[" + (random.nextBoolean() ? "\"a\"," : "") + "\"" + (random.nextBoolean() ? "b" : "c")
					+ "\"]");
		}
		if (random.nextInt(3) == 0) {
			fields.add("\"signupAt\":\""
					+ Instant.now().minus(random.nextInt(700), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\"");
		}
		else if (random.nextInt(5) == 0) {
			fields.add("\"signupAt\":\"soon\"");
		}
		if (random.nextBoolean()) {
			fields.add("\"address\":{\"city\":\"" + pick(random, CITIES) + "\"}");
		}
		return "{" + String.join(",", fields) + "}";
	}

	static String properties(Random random) {
		List<String> fields = new ArrayList<>();
		switch (random.nextInt(5)) {
			case 0, 1 -> fields.add("\"revenue\":" + random.nextInt(120));
			case 2 -> fields.add("\"revenue\":\"" + random.nextInt(120) + ".5\"");
			case 3 -> fields.add("\"revenue\":\"n/a\"");
			default -> {
			}
		}
		if (random.nextBoolean()) {
			fields.add("\"currency\":\"" + (random.nextBoolean() ? "EUR" : "USD") + "\"");
		}
		return "{" + String.join(",", fields) + "}";
	}

	static String rule(Random random, int depth) {
		int kind = random.nextInt((depth > 0) ? 6 : 3);
		return switch (kind) {
			case 0 -> trait(random);
			case 1 -> computed(random);
			case 2 -> event(random);
			case 3, 4 -> {
				List<String> conditions = new ArrayList<>();
				for (int i = 1 + random.nextInt(3); i > 0; i--) {
					conditions.add(rule(random, depth - 1));
				}
				yield "{\"type\":\"" + ((kind == 3) ? "and" : "or") + "\",\"conditions\":["
						+ String.join(",", conditions) + "]}";
			}
			default -> "{\"type\":\"not\",\"condition\":" + rule(random, depth - 1) + "}";
		};
	}

	private static String trait(Random random) {
		return switch (random.nextInt(11)) {
			case 0 -> cmp("country", pick(random, "eq", "neq"), "\"" + pick(random, COUNTRIES) + "\"");
			case 1 -> cmp("country", pick(random, "in", "nin"), "[\"" + pick(random, COUNTRIES) + "\",\"Spain\"]");
			case 2 -> cmp("country", pick(random, "startsWith", "contains"),
					"\"" + pick(random, "United", "Port", "King") + "\"");
			case 3 ->
				cmp("age", pick(random, "gt", "gte", "lt", "lte", "eq"), Integer.toString(18 + random.nextInt(50)));
			case 4 -> cmp("age", "between", "[" + (20 + random.nextInt(20)) + "," + (40 + random.nextInt(20)) + "]");
			case 5 -> cmp("vip", pick(random, "eq", "neq"), Boolean.toString(random.nextBoolean()));
			case 6 -> cmp("tags", "contains", "\"" + pick(random, "a", "b", "c") + "\"");
			case 7 -> cmp("signupAt", pick(random, "gt", "lt"), "\""
					+ Instant.now().minus(random.nextInt(700), ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS) + "\"");
			case 8 -> cmp("signupAt", pick(random, "withinLast", "moreThanAgo"),
					"{\"amount\":" + (1 + random.nextInt(700)) + ",\"unit\":\"days\"}");
			case 9 -> cmp("address.city", pick(random, "eq", "startsWith"), "\"" + pick(random, CITIES) + "\"");
			default -> "{\"type\":\"trait\",\"trait\":\"" + pick(random, "plan", "age", "address", "vip")
					+ "\",\"op\":\"" + pick(random, "exists", "missing") + "\"}";
		};
	}

	private static String computed(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> "{\"type\":\"computed\",\"field\":\"eventCount\",\"op\":\""
					+ pick(random, "gte", "lt", "eq", "neq") + "\",\"value\":" + (1 + random.nextInt(30)) + "}";
			case 1 ->
				"{\"type\":\"computed\",\"field\":\"userId\",\"op\":\"" + pick(random, "exists", "missing") + "\"}";
			case 2 -> "{\"type\":\"computed\",\"field\":\"userId\",\"op\":\"startsWith\",\"value\":\"u"
					+ random.nextInt(6) + "\"}";
			default ->
				"{\"type\":\"computed\",\"field\":\"lastSeenAt\",\"op\":\"" + pick(random, "withinLast", "moreThanAgo")
						+ "\",\"value\":{\"amount\":" + (1 + random.nextInt(400)) + ",\"unit\":\"days\"}}";
		};
	}

	private static String event(Random random) {
		StringBuilder rule = new StringBuilder("{\"type\":\"event\",\"event\":\"" + pick(random, EVENTS) + "\"");
		switch (random.nextInt(4)) {
			case 0 -> rule.append(",\"performed\":false");
			case 1 -> rule.append(",\"count\":{\"op\":\"")
				.append(pick(random, "gte", "lte", "eq", "gt", "lt"))
				.append("\",\"value\":")
				.append(random.nextInt(4))
				.append('}');
			case 2 -> {
				String op = pick(random, "gte", "lt", "between");
				rule.append(",\"aggregate\":{\"fn\":\"")
					.append(pick(random, "sum", "avg", "min", "max"))
					.append("\",\"property\":\"revenue\",\"op\":\"")
					.append(op)
					.append("\",\"value\":")
					.append("between".equals(op) ? "[10,80]" : Integer.toString(random.nextInt(150)))
					.append('}');
			}
			default -> {
			}
		}
		if (random.nextBoolean()) {
			rule.append(",\"window\":{\"withinLast\":{\"amount\":")
				.append(30 + random.nextInt(370))
				.append(",\"unit\":\"days\"}}");
		}
		if (random.nextInt(3) == 0) {
			rule.append(",\"where\":[{\"property\":\"currency\",\"op\":\"eq\",\"value\":\"")
				.append(random.nextBoolean() ? "EUR" : "USD")
				.append("\"}]");
		}
		return rule.append('}').toString();
	}

	private static String cmp(String trait, String op, String value) {
		return "{\"type\":\"trait\",\"trait\":\"" + trait + "\",\"op\":\"" + op + "\",\"value\":" + value + "}";
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... values) {
		return values[random.nextInt(values.length)];
	}

}
