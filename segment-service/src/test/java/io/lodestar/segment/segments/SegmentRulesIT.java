package io.lodestar.segment.segments;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.segment.rule.Rule;
import io.lodestar.segment.rule.RuleParser;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The compiled SQL on the real schema (profile-service's migrations): hand-computed
 * members for every operator and nesting shape, random rules against an in-memory
 * evaluation of the same rule, injection attempts, and the plans of the common shapes.
 */
@SpringBootTest(properties = { "lodestar.segment.recompute-cron=-", "lodestar.segment.incremental-interval=1h" })
class SegmentRulesIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	SegmentService segments;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	NamedParameterJdbcTemplate named;

	private final String workspace = "rules-" + UUID.randomUUID().toString().substring(0, 8);

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private final List<TestProfile> profiles = new ArrayList<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

	@BeforeEach
	void people() {
		// 0 ada: UK, pro, 36, tags [vip, beta], 3 orders (120, 30, "15.5") in the last 40
		// days, 12 events
		TestProfile ada = profile("ada", "{\"country\":\"United Kingdom\",\"plan\":\"pro\",\"age\":36,"
				+ "\"tags\":[\"vip\",\"beta\"],\"signupAt\":\"2026-01-10T10:00:00Z\",\"address\":{\"city\":\"London\"}}",
				12, days(2));
		order(ada, days(3), "120", "EUR");
		order(ada, days(20), "30", "EUR");
		order(ada, days(40), "\"15.5\"", "GBP");
		event(ada, "page", "", days(1), "{\"path\":\"/pricing\"}");
		// 1 grace: US, free, 45, one order of 500 two years ago, 3 events
		TestProfile grace = profile("grace", "{\"country\":\"United States\",\"plan\":\"free\",\"age\":45,"
				+ "\"tags\":[\"beta\"],\"address\":{\"city\":\"Arlington\"}}", 3, days(700));
		order(grace, days(730), "500", "USD");
		// 2 anonymous visitor: no user id, no traits, viewed a product yesterday
		TestProfile visitor = profile(null, "{}", 1, days(1));
		event(visitor, "track", "Product Viewed", days(1), "{\"sku\":\"A-1\",\"price\":9.99}");
		// 3 alan: UK, age "unknown", 7 events, one order without revenue, name with a
		// quote
		TestProfile alan = profile("alan", "{\"country\":\"United Kingdom\",\"age\":\"unknown\",\"name\":\"O'Turing\"}",
				7, days(10));
		order(alan, days(10), null, "GBP");
		// 4 katherine: US, pro, 30.5, vip boolean, 20 events, 5 orders of 10
		TestProfile katherine = profile("katherine",
				"{\"country\":\"United States\",\"plan\":\"pro\",\"age\":30.5,\"vip\":true}", 20, days(0));
		for (int i = 0; i < 5; i++) {
			order(katherine, days(5 + i), "10", "USD");
		}
	}

	@Test
	void traitOperatorsSelectTheExpectedProfiles() {
		assertMembers(trait("country", "eq", "\"United Kingdom\""), 0, 3);
		assertMembers(trait("country", "neq", "\"United Kingdom\""), 1, 4);
		assertMembers(trait("plan", "in", "[\"free\",\"enterprise\"]"), 1);
		assertMembers(trait("plan", "nin", "[\"free\"]"), 0, 4);
		assertMembers(trait("tags", "contains", "\"vip\""), 0);
		assertMembers(trait("name", "contains", "\"Turing\""), 3);
		assertMembers(trait("address.city", "startsWith", "\"Lon\""), 0);
		assertMembers(trait("age", "between", "[30,40]"), 0, 4);
		assertMembers(trait("age", "gte", "45"), 1);
		assertMembers(trait("age", "eq", "36"), 0);
		assertMembers(trait("vip", "eq", "true"), 4);
		assertMembers(trait("signupAt", "lt", "\"2026-02-01\""), 0);
		assertMembers("{\"type\":\"trait\",\"trait\":\"address\",\"op\":\"exists\"}", 0, 1);
		assertMembers("{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"missing\"}", 2, 3);
	}

	@Test
	void thePipelinesComputedTraitsSelectTheExpectedProfiles() {
		// as etl-service keeps them (profile.profile_computed); grace, the visitor and
		// alan have no row yet
		computedTraits(0, 5, 3, "165.5", days(40), days(3), "lighting", "facebook", "paid_social", "Spring Sale",
				"Paid Social");
		computedTraits(4, 9, 5, "50", days(9), days(5), "kitchen", "newsletter", "email", "November", "Email");
		assertMembers(computed("orders", "gte", "3"), 0, 4);
		assertMembers(computed("orders", "eq", "0"), 1, 2, 3);
		assertMembers(computed("sessions", "between", "[1,6]"), 0);
		assertMembers(computed("revenue", "gt", "100"), 0);
		assertMembers(computed("revenue", "lt", "60"), 1, 2, 3, 4);
		assertMembers(computed("averageOrderValue", "lt", "20"), 4);
		assertMembers(computed("averageOrderValue", "missing", null), 1, 2, 3);
		assertMembers(computed("lastPurchaseAt", "withinLast", "{\"amount\":4,\"unit\":\"days\"}"), 0);
		assertMembers(computed("firstPurchaseAt", "moreThanAgo", "{\"amount\":30,\"unit\":\"days\"}"), 0);
		assertMembers(computed("favouriteCategory", "eq", "\"lighting\""), 0);
		assertMembers(computed("favouriteBrand", "missing", null), 0, 1, 2, 3, 4);
		assertMembers(computed("acquisition.channel", "in", "[\"Paid Social\",\"Email\"]"), 0, 4);
		assertMembers(computed("acquisition.source", "startsWith", "\"news\""), 4);
		assertMembers(computed("acquisition.medium", "eq", "\"paid_social\""), 0);
		assertMembers(computed("acquisition.campaign", "contains", "\"Sale\""), 0);
		assertMembers(computed("acquisition.channel", "missing", null), 1, 2, 3);
	}

	private void computedTraits(int person, long sessions, long orders, String revenue, Instant firstPurchase,
			Instant lastPurchase, String category, String source, String medium, String campaign, String channel) {
		this.jdbc.update(
				"""
						insert into profile.profile_computed (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at,
						       last_purchase_at, favourite_category, acquisition_source, acquisition_medium, acquisition_campaign,
						       acquisition_channel, acquired_at)
						values (?, ?, ?, ?, ?::numeric, ?, ?, ?, ?, ?, ?, ?, ?)""",
				this.workspace, this.profiles.get(person).id(), sessions, orders, revenue,
				Timestamp.from(firstPurchase), Timestamp.from(lastPurchase), category, source, medium, campaign,
				channel, Timestamp.from(firstPurchase));
		Map<Rule.Computed, Object> computed = this.profiles.get(person).computed();
		computed.put(Rule.Computed.SESSIONS, BigDecimal.valueOf(sessions));
		computed.put(Rule.Computed.ORDERS, BigDecimal.valueOf(orders));
		computed.put(Rule.Computed.REVENUE, new BigDecimal(revenue));
		computed.put(Rule.Computed.AVERAGE_ORDER_VALUE,
				new BigDecimal(revenue).divide(BigDecimal.valueOf(orders), 4, java.math.RoundingMode.HALF_UP));
		computed.put(Rule.Computed.FIRST_PURCHASE_AT, firstPurchase);
		computed.put(Rule.Computed.LAST_PURCHASE_AT, lastPurchase);
		computed.put(Rule.Computed.FAVOURITE_CATEGORY, category);
		computed.put(Rule.Computed.ACQUISITION_SOURCE, source);
		computed.put(Rule.Computed.ACQUISITION_MEDIUM, medium);
		computed.put(Rule.Computed.ACQUISITION_CAMPAIGN, campaign);
		computed.put(Rule.Computed.ACQUISITION_CHANNEL, channel);
	}

	@Test
	void computedAndEventConditionsSelectTheExpectedProfiles() {
		assertMembers(computed("eventCount", "gte", "7"), 0, 3, 4);
		assertMembers(computed("userId", "missing", null), 2);
		assertMembers(computed("userId", "startsWith", "\"a\""), 0, 3);
		assertMembers(computed("lastSeenAt", "withinLast", "{\"amount\":7,\"unit\":\"days\"}"), 0, 2, 4);
		assertMembers(computed("lastSeenAt", "moreThanAgo", "{\"amount\":1,\"unit\":\"years\"}"), 1);
		assertMembers(orders(null, null), 0, 1, 3, 4);
		assertMembers("{\"type\":\"event\",\"event\":\"Order Completed\",\"performed\":false}", 2);
		assertMembers(orders("{\"op\":\"gte\",\"value\":3}", null), 0, 4);
		assertMembers(orders("{\"op\":\"eq\",\"value\":1}", null), 1, 3);
		// at most one: includes those who never ordered
		assertMembers(orders("{\"op\":\"lte\",\"value\":1}", null), 1, 2, 3);
		assertMembers(orders("{\"op\":\"gte\",\"value\":2}", "{\"withinLast\":{\"amount\":30,\"unit\":\"days\"}}"), 0,
				4);
		assertMembers(orders(null, "{\"from\":\"2020-01-01\",\"to\":\"" + days(365) + "\"}"), 1);
		assertMembers(aggregate("sum", "gte", "150"), 0, 1);
		// a sum compares 0 for those without orders (or without revenue)
		assertMembers(aggregate("sum", "lt", "100"), 2, 3, 4);
		assertMembers(aggregate("avg", "between", "[10,60]"), 0, 4);
		assertMembers(aggregate("max", "gt", "100"), 0, 1);
		assertMembers(aggregate("min", "lte", "10"), 4);
		assertMembers("{\"type\":\"event\",\"event\":\"Order Completed\",\"where\":[{\"property\":\"currency\","
				+ "\"op\":\"in\",\"value\":[\"GBP\"]}]}", 0, 3);
		assertMembers(
				"{\"type\":\"event\",\"eventType\":\"page\",\"where\":[{\"property\":\"path\",\"op\":\"startsWith\","
						+ "\"value\":\"/pri\"}]}",
				0);
		assertMembers(
				"{\"type\":\"event\",\"event\":\"Product Viewed\",\"where\":[{\"property\":\"price\",\"op\":\"lt\","
						+ "\"value\":10}]}",
				2);
	}

	@Test
	void groupsNestAndNegate() {
		assertMembers("{\"type\":\"and\",\"conditions\":[" + trait("plan", "eq", "\"pro\"") + ","
				+ "{\"type\":\"or\",\"conditions\":[" + trait("country", "eq", "\"United Kingdom\"") + ","
				+ orders("{\"op\":\"gte\",\"value\":5}", null) + "]}]}", 0, 4);
		// not: a missing value does not make the condition unknown
		assertMembers("{\"type\":\"not\",\"condition\":" + trait("plan", "eq", "\"pro\"") + "}", 1, 2, 3);
		assertMembers("{\"type\":\"not\",\"condition\":" + computed("userId", "eq", "\"ada\"") + "}", 1, 2, 3, 4);
		assertMembers(
				"{\"type\":\"not\",\"condition\":{\"type\":\"not\",\"condition\":" + trait("vip", "eq", "true") + "}}",
				4);
	}

	@Test
	void anExplicitListOfProfilesSelectsThoseOnly() {
		String list = "{\"type\":\"profiles\",\"profileIds\":[\"" + this.profiles.get(0).id() + "\",\""
				+ this.profiles.get(2).id() + "\",\"" + UUID.randomUUID() + "\"]}";
		assertMembers(list, 0, 2);
		assertMembers(
				"{\"type\":\"and\",\"conditions\":[" + list + "," + trait("country", "eq", "\"United Kingdom\"") + "]}",
				0);
		assertMembers("{\"type\":\"not\",\"condition\":" + list + "}", 1, 3, 4);
	}

	@Test
	void injectionAttemptsMatchNothingAndChangeNothing() {
		String[] attacks = { "x') or 1=1 --", "' or '1'='1", "\\\"; drop table profile.profile; --", "$$ or true $$",
				":workspace", "\\u2028 \\\\x" };
		for (String attack : attacks) {
			String value = "\"" + attack + "\"";
			assertMembers(trait("country", "eq", value));
			assertMembers(trait("country", "startsWith", value));
			assertMembers(trait("name", "contains", value));
			assertMembers("{\"type\":\"trait\",\"trait\":\"" + attack + "\",\"op\":\"exists\"}");
			assertMembers("{\"type\":\"event\",\"event\":" + value + "}");
			assertMembers("{\"type\":\"event\",\"event\":\"Order Completed\",\"where\":[{\"property\":" + value
					+ ",\"op\":\"exists\"}]}");
			assertMembers(computed("userId", "in", "[" + value + "]"));
		}
		// a NUL cannot be stored in PostgreSQL text or jsonb: refused as a bad rule, not
		// a server fault
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> members(trait("country", "eq", "\"a\\u0000b\""), this.now))
			.satisfies((ex) -> assertThat(ex.getBody().getProperties()).containsKey("errors"));
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where workspace_id = ?", Long.class,
				this.workspace))
			.isEqualTo(5);
	}

	@Test
	void randomRulesSelectWhatAnInMemoryEvaluationSelects() {
		// 60 random profiles with random traits and events, 300 random rules: SQL ==
		// memory
		Random random = new Random(20261124);
		for (int i = 0; i < 60; i++) {
			TestProfile profile = profile((random.nextInt(5) == 0) ? null : "u" + i, RandomRules.traits(random),
					1 + random.nextInt(30), days(random.nextInt(400)));
			for (int e = random.nextInt(6); e > 0; e--) {
				event(profile, "track", RandomRules.EVENTS[random.nextInt(RandomRules.EVENTS.length)],
						days(random.nextInt(400)), RandomRules.properties(random));
			}
		}
		int nonTrivial = 0;
		for (int i = 0; i < 300; i++) {
			String rule = RandomRules.rule(random, 3);
			Rule parsed = new RuleParser(java.time.Clock.fixed(this.now, java.time.ZoneOffset.UTC), (id) -> false)
				.parse(JSON.readTree(rule), "/rule");
			Set<UUID> expected = this.profiles.stream()
				.filter((profile) -> new InMemoryRules(this.now).matches(parsed, profile))
				.map(TestProfile::id)
				.collect(Collectors.toSet());
			assertThat(members(rule, this.now)).as(rule).isEqualTo(expected);
			if (!expected.isEmpty() && expected.size() < this.profiles.size()) {
				nonTrivial++;
			}
		}
		// the generator must produce rules that split the population, not only
		// all-or-nothing
		assertThat(nonTrivial).isGreaterThan(100);
	}

	@Test
	void commonShapesUseTheirIndexesAtVolume() {
		String plan = this.jdbc.execute((java.sql.Connection connection) -> {
			connection.setAutoCommit(false);
			try (java.sql.Statement statement = connection.createStatement()) {
				statement.execute(
						"""
								insert into profile.profile (workspace_id, profile_id, traits, first_seen_at, last_seen_at, event_count)
								select 'explain-seg', ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
								       jsonb_build_object('plan', 'p' || (i % 500)), now(), now() - i * interval '1 minute', i % 40
								  from generate_series(1, 10000) i""");
				statement.execute(
						"""
								insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
								select 'explain-seg', gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((1 + i % 10000)::text, 12, '0'))::uuid,
								       'track', 'e' || (i % 200), now() - (i % 1000) * interval '1 hour', '{}'::jsonb
								  from generate_series(1, 40000) i""");
				statement.execute("analyze profile.profile");
				statement.execute("analyze profile.profile_event");
				StringBuilder text = new StringBuilder();
				var prepared = new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(
						new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
				for (String rule : new String[] {
						"{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"p7\"}",
						"""
								{"type":"and","conditions":[{"type":"trait","trait":"plan","op":"eq","value":"p7"},
								 {"type":"event","event":"e5","count":{"op":"gte","value":2},"window":{"withinLast":{"amount":7,"unit":"days"}}}]}""",
						"{\"type\":\"event\",\"event\":\"e5\",\"window\":{\"withinLast\":{\"amount\":7,\"unit\":\"days\"}}}",
						"{\"type\":\"event\",\"event\":\"e5\",\"performed\":false}" }) {
					SegmentService.Compiled compiled = this.segments.compile(new Workspace("explain-seg"),
							JSON.readTree(rule), "/rule");
					prepared.query(
							"explain select p.profile_id from profile.profile p where p.workspace_id = 'explain-seg' and ("
									+ compiled.sql() + ")",
							compiled.parameters(),
							(org.springframework.jdbc.core.RowCallbackHandler) (row) -> text.append(row.getString(1))
								.append('\n'));
					text.append("----\n");
				}
				return text.toString();
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		});
		String[] plans = plan.split("----\n");
		// a trait equality is answered by the GIN index; an event condition by the
		// event-name index,
		// then the profile's primary key — never a scan of either table
		assertThat(plans[0]).contains("profile_traits_gin").doesNotContain("Seq Scan");
		assertThat(plans[1]).contains("profile_event_name_ix").doesNotContain("Seq Scan");
		// performed at all, or not at all: a semi- or anti-join on the same index,
		// which never counts each profile's events (as "at least 2" must); "not at all"
		// holds for most profiles, which are read in full
		assertThat(plans[1]).contains("count(*)");
		assertThat(plans[2]).contains("profile_event_name_ix").doesNotContain("Seq Scan").doesNotContain("count(");
		assertThat(plans[3]).contains("profile_event_name_ix")
			.doesNotContain("Seq Scan on profile_event")
			.doesNotContain("count(");
	}

	private void assertMembers(String rule, int... expected) {
		Set<UUID> want = java.util.Arrays.stream(expected)
			.mapToObj((i) -> this.profiles.get(i).id())
			.collect(Collectors.toSet());
		assertThat(members(rule, this.now)).as(rule).isEqualTo(want);
		// and the in-memory evaluation agrees
		Rule parsed = new RuleParser(java.time.Clock.fixed(this.now, java.time.ZoneOffset.UTC), (id) -> false)
			.parse(JSON.readTree(rule), "/rule");
		assertThat(this.profiles.stream()
			.filter((profile) -> new InMemoryRules(this.now).matches(parsed, profile))
			.map(TestProfile::id)
			.collect(Collectors.toSet())).as("in memory: " + rule).isEqualTo(want);
	}

	private Set<UUID> members(String rule, Instant at) {
		SegmentService.Compiled compiled = this.segments.compile(new Workspace(this.workspace), JSON.readTree(rule),
				"/rule");
		return new HashSet<>(this.named
			.queryForList("select p.profile_id from profile.profile p where p.workspace_id = :workspace and ("
					+ compiled.sql() + ")", compiled.parameters(), UUID.class));
	}

	private static String trait(String trait, String op, String value) {
		return "{\"type\":\"trait\",\"trait\":\"" + trait + "\",\"op\":\"" + op + "\",\"value\":" + value + "}";
	}

	private static String computed(String field, String op, String value) {
		return "{\"type\":\"computed\",\"field\":\"" + field + "\",\"op\":\"" + op + "\""
				+ ((value != null) ? ",\"value\":" + value : "") + "}";
	}

	private static String orders(String count, String window) {
		return "{\"type\":\"event\",\"event\":\"Order Completed\"" + ((count != null) ? ",\"count\":" + count : "")
				+ ((window != null) ? ",\"window\":" + window : "") + "}";
	}

	private static String aggregate(String fn, String op, String value) {
		return "{\"type\":\"event\",\"event\":\"Order Completed\",\"aggregate\":{\"fn\":\"" + fn
				+ "\",\"property\":\"revenue\",\"op\":\"" + op + "\",\"value\":" + value + "}}";
	}

	private Instant days(int ago) {
		return this.now.minus(ago, ChronoUnit.DAYS).minusSeconds(60);
	}

	private TestProfile profile(String userId, String traits, long events, Instant lastSeen) {
		UUID id = UUID.randomUUID();
		this.jdbc.update(
				"""
						insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
						values (?, ?, ?, ?::jsonb, ?, ?, ?)""",
				this.workspace, id, userId, traits, Timestamp.from(lastSeen.minus(800, ChronoUnit.DAYS)),
				Timestamp.from(lastSeen), events);
		TestProfile profile = new TestProfile(id, userId, toMap(traits), lastSeen.minus(800, ChronoUnit.DAYS), lastSeen,
				events, new ArrayList<>(), new java.util.EnumMap<>(Rule.Computed.class));
		this.profiles.add(profile);
		return profile;
	}

	private void order(TestProfile profile, Instant at, String revenue, String currency) {
		event(profile, "track", "Order Completed", at,
				"{\"currency\":\"" + currency + "\"" + ((revenue != null) ? ",\"revenue\":" + revenue : "") + "}");
	}

	private void event(TestProfile profile, String type, String name, Instant at, String properties) {
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						values (?, ?, ?, ?, ?, ?, ?::jsonb)""",
				this.workspace, UUID.randomUUID(), profile.id(), type, name, Timestamp.from(at), properties);
		profile.events().add(new TestEvent(type, name, at, toMap(properties)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> toMap(String json) {
		return JSON.readValue(json, LinkedHashMap.class);
	}

	record TestProfile(UUID id, String userId, Map<String, Object> traits, Instant firstSeenAt, Instant lastSeenAt,
			long eventCount, List<TestEvent> events, Map<Rule.Computed, Object> computed) {
	}

	record TestEvent(String type, String name, Instant occurredAt, Map<String, Object> properties) {
	}

}
