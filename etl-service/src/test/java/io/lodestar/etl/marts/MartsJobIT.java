package io.lodestar.etl.marts;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.etl.lake.LakeTable;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The marts job on the real PostgreSQL with profile-service's migrations, triggered
 * through the REST API over events in the lake (written as the streaming job writes them,
 * a visitor merged into a customer, campaign touches and ad spend in profile-service's
 * tables): hand-computed per-customer days, sales, campaign and kiosk marts; the sales
 * and kiosk marts equal what profile-service's analytics queries give on the same events
 * (its timeline); a rerun gives the same rows, not doubled; a backfill of an older day
 * leaves the newer days alone; bad rows are recorded with their reasons.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.etl.streaming.enabled=false", "lodestar.etl.scheduler.tick=500ms" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MartsJobIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * profile-service's {@code SalesService} query by product for one range (its
	 * {@code Purchases} definitions with the default settings).
	 */
	private static final String ANALYTICS_SALES = """
			select coalesce(line ->> 'product_id', line ->> 'sku', line ->> 'id', '(none)') as key,
			       coalesce(sum(coalesce(profile.number_or_null(line ->> 'price'), 0)
			                  * coalesce(profile.number_or_null(line ->> 'quantity'), 1)), 0) as revenue,
			       coalesce(sum(coalesce(profile.number_or_null(line ->> 'quantity'), 1)), 0) as quantity,
			       count(distinct e.event_id) as orders, count(distinct e.profile_id) as customers
			  from profile.profile_event e
			 cross join lateral jsonb_array_elements(case when jsonb_typeof(e.properties -> 'products') = 'array'
			                                         then e.properties -> 'products' else '[]'::jsonb end) as line
			 where e.workspace_id = ? and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz
			   and (e.event_type = 'track' and e.event_name in ('Order Completed'))
			 group by 1 order by 1""";

	/** profile-service's {@code KioskService} query by day. */
	private static final String ANALYTICS_KIOSK = """
			select to_char(date_trunc('day', e.occurred_at, 'UTC'), 'YYYY-MM-DD') as day,
			       coalesce(e.properties ->> 'zone', '(none)') as zone,
			       coalesce(e.properties ->> 'screen', '(none)') as screen,
			       count(*) filter (where e.event_name = 'Promotion Viewed') as impressions,
			       count(*) filter (where e.event_name = 'Promotion Clicked') as clicks,
			       count(*) filter (where e.event_name = 'Zone Dwell') as visits,
			       coalesce(sum(profile.number_or_null(e.properties ->> 'dwell_seconds'))
			                filter (where e.event_name = 'Zone Dwell'), 0) as dwell_seconds
			  from profile.profile_event e
			 where e.workspace_id = ? and e.event_type = 'track'
			   and e.event_name in ('Promotion Viewed', 'Promotion Clicked', 'Zone Dwell')
			   and e.occurred_at >= ?::timestamptz and e.occurred_at < ?::timestamptz
			 group by 1, 2, 3 order by 1, 2, 3""";

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LakeTable lake;

	@Autowired
	SparkSession spark;

	private final String workspace = "marts-" + UUID.randomUUID().toString().substring(0, 8);

	private final UUID ada = UUID.randomUUID();

	private final UUID bob = UUID.randomUUID();

	private final UUID visitor = UUID.randomUUID();

	private final List<Row> rows = new ArrayList<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "marts-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		registry.add("lodestar.etl.lake.warehouse", () -> dataDir.resolve("warehouse").toString());
		OwnerSchema.profile();
	}

	/**
	 * An applied event: a lake row with the profile it was applied to, and its timeline
	 * row on the profile it lives on now (streaming moves the timeline on a merge).
	 */
	private String event(UUID profile, String type, String name, String at, String properties) {
		UUID eventId = UUID.randomUUID();
		this.rows.add(RowFactory.create(this.workspace, eventId.toString(), profile.toString(), type, name, null,
				"anon-" + profile, Timestamp.from(Instant.parse(at)), Timestamp.from(Instant.parse(at)), "web",
				properties, "{}", null));
		UUID current = profile.equals(this.visitor) ? this.ada : profile;
		this.jdbc.update(
				"""
						insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at,
						                                   properties)
						values (?, ?, ?, ?, ?, ?::timestamptz, cast(? as jsonb))""",
				this.workspace, eventId, current, type, (name != null) ? name : "", at, properties);
		return eventId.toString();
	}

	private void flush() {
		this.lake.mergeNew(this.spark.createDataFrame(this.rows, LakeTable.SCHEMA));
		this.rows.clear();
	}

	private void profile(UUID id) {
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)
				values (?, ?, now(), now())""", this.workspace, id);
	}

	@Test
	void martsOverARangeRerunAndBackfill() throws Exception {
		profile(this.ada);
		profile(this.bob);
		profile(this.visitor);
		String page = event(this.ada, "page", null, "2026-04-01T09:30:00Z", "{\"path\":\"/\"}");
		event(this.ada, "track", "Order Completed", "2026-04-01T10:00:00Z",
				"{\"revenue\":30,\"currency\":\"EUR\",\"products\":[{\"product_id\":\"A\",\"name\":\"Pan\",\"price\":10,"
						+ "\"quantity\":2,\"category\":\"Kitchen\",\"brand\":\"Acme\"},{\"sku\":\"B\",\"name\":\"Rake\","
						+ "\"price\":\"10\",\"category\":\"Garden\"}]}");
		event(this.bob, "track", "Order Completed", "2026-04-02T11:00:00Z",
				"{\"revenue\":\"25.00\",\"currency\":\"USD\",\"products\":[{\"product_id\":\"A\",\"name\":\"Pan\","
						+ "\"price\":\"12.5\",\"quantity\":\"2\",\"category\":\"Kitchen\",\"brand\":\"Acme\"}]}");
		event(this.visitor, "track", "Order Completed", "2026-04-02T12:00:00Z",
				"{\"total\":5,\"products\":[{\"product_id\":\"B\",\"price\":5,\"category\":\"Garden\"}]}");
		String badOrder = event(this.bob, "track", "Order Completed", "2026-04-03T08:00:00Z",
				"{\"revenue\":\"abc\",\"products\":[{\"name\":\"mystery\",\"price\":3},{\"product_id\":\"A\","
						+ "\"price\":10,\"quantity\":1,\"category\":\"Kitchen\",\"brand\":\"Acme\"}]}");
		String s1 = "\"zone\":\"entrance\",\"screen\":\"s1\"";
		event(this.ada, "track", "Promotion Viewed", "2026-04-01T10:10:00Z", "{" + s1 + "}");
		event(this.ada, "track", "Promotion Viewed", "2026-04-01T10:11:00Z", "{" + s1 + "}");
		event(this.bob, "track", "Promotion Viewed", "2026-04-01T10:12:00Z", "{" + s1 + "}");
		event(this.ada, "track", "Promotion Clicked", "2026-04-01T10:13:00Z", "{" + s1 + "}");
		event(this.ada, "track", "Zone Dwell", "2026-04-01T10:20:00Z", "{" + s1 + ",\"dwell_seconds\":30}");
		event(this.bob, "track", "Zone Dwell", "2026-04-01T10:21:00Z", "{" + s1 + ",\"dwell_seconds\":\"15\"}");
		String badDwell = event(this.bob, "track", "Zone Dwell", "2026-04-01T10:22:00Z",
				"{" + s1 + ",\"dwell_seconds\":\"x\"}");
		event(this.ada, "track", "Promotion Viewed", "2026-04-02T13:00:00Z",
				"{\"zone\":\"checkout\",\"screen\":\"s2\"}");
		// an event of a profile erased since (its lake rows not yet): its day is skipped
		this.rows.add(RowFactory.create(this.workspace, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				"page", null, null, "anon-ghost", Timestamp.from(Instant.parse("2026-04-03T09:00:00Z")), null, "web",
				"{}", "{}", null));
		flush();
		// the visitor was merged into ada after its order
		this.jdbc.update("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, 'anonymous_identified')""", this.workspace, this.visitor, this.ada);
		this.jdbc.update("delete from profile.profile where workspace_id = ? and profile_id = ?", this.workspace,
				this.visitor);
		touch(this.ada, page, "2026-04-01T09:30:00Z", "google", "Spring");
		touch(this.bob, UUID.randomUUID().toString(), "2026-04-02T10:00:00Z", "facebook", "Spring");
		spend("google-ads", "Spring", "2026-04-01", "50", 1000, 30, "2", "60");
		spend("meta", "Spring", "2026-04-02", "20", 500, 10, "1", "25");

		JsonNode first = runMarts("{\"from\":\"2026-04-01\",\"to\":\"2026-04-03\"}");
		assertThat(first.get("rowsIn").asLong()).isEqualTo(14);
		JsonNode summary = first.get("result");
		assertThat(summary.get("days").asInt()).isEqualTo(3);
		assertThat(summary.get("mart_customer_day").asLong()).isEqualTo(5);
		assertThat(summary.get("customerDaysSkipped").asLong()).isEqualTo(1);
		assertThat(summary.get("rejected").asLong()).isEqualTo(3);

		// per customer and day (the visitor's order on ada; 09:30 → 10:00 is one session)
		assertThat(customerDay(this.ada, "2026-04-01")).isEqualTo(List.of(6L, 5L, 1L, 1L, 1L, 30.0, 3.0));
		assertThat(customerDay(this.ada, "2026-04-02")).isEqualTo(List.of(2L, 2L, 0L, 2L, 1L, 5.0, 1.0));
		assertThat(customerDay(this.bob, "2026-04-01")).isEqualTo(List.of(3L, 3L, 0L, 1L, 0L, 0.0, 0.0));
		assertThat(customerDay(this.bob, "2026-04-02")).isEqualTo(List.of(1L, 1L, 0L, 1L, 1L, 25.0, 2.0));
		// the order with an unusable revenue counts with revenue 0; only its valid line's
		// units
		assertThat(customerDay(this.bob, "2026-04-03")).isEqualTo(List.of(1L, 1L, 0L, 1L, 1L, 0.0, 1.0));

		// sales: hand-computed, and per day what profile-service's analytics give
		assertThat(sales("product", "product_id", "2026-04-01")).containsExactly("A|1|2|20|1", "B|1|1|10|1");
		assertThat(sales("product", "product_id", "2026-04-02")).containsExactly("A|1|2|25|1", "B|1|1|5|1");
		assertThat(sales("product", "product_id", "2026-04-03")).containsExactly("A|1|1|10|1");
		assertThat(sales("category", "category", "2026-04-02")).containsExactly("Garden|1|1|5|1", "Kitchen|1|2|25|1");
		assertThat(sales("brand", "brand", "2026-04-01")).containsExactly("(none)|1|1|10|1", "Acme|1|2|20|1");
		for (String day : List.of("2026-04-01", "2026-04-02", "2026-04-03")) {
			List<String> analytics = this.jdbc
				.query(ANALYTICS_SALES,
						(row, n) -> row.getString("key") + "|" + row.getLong("orders") + "|"
								+ plain(row.getBigDecimal("quantity")) + "|" + plain(row.getBigDecimal("revenue")) + "|"
								+ row.getLong("customers"),
						this.workspace, day + "T00:00:00Z", day + "T23:59:59.999999Z")
				.stream()
				// the line without a product id is "(none)" there and rejected here
				.filter((line) -> !line.startsWith("(none)"))
				.toList();
			assertThat(sales("product", "product_id", day)).as(day).isEqualTo(analytics);
		}
		assertThat(this.jdbc.queryForObject(
				"select name from profile.mart_sales_product_day where workspace_id = ? and product_id = 'A' and day = '2026-04-01'",
				String.class, this.workspace))
			.isEqualTo("Pan");

		// kiosk zones: hand-computed and as profile-service's kiosk report by day
		List<String> kiosk = kiosk();
		assertThat(kiosk).containsExactly("2026-04-01|entrance|s1|3|1|3|45", "2026-04-02|checkout|s2|1|0|0|0");
		assertThat(kiosk).isEqualTo(this.jdbc.query(ANALYTICS_KIOSK,
				(row, n) -> String.join("|", row.getString("day"), row.getString("zone"), row.getString("screen"),
						String.valueOf(row.getLong("impressions")), String.valueOf(row.getLong("clicks")),
						String.valueOf(row.getLong("visits")), plain(row.getBigDecimal("dwell_seconds"))),
				this.workspace, "2026-04-01T00:00:00Z", "2026-04-04T00:00:00Z"));
		assertThat(this.jdbc.queryForObject(
				"select visitors from profile.mart_kiosk_day where workspace_id = ? and day = '2026-04-01'", Long.class,
				this.workspace))
			.isEqualTo(2);

		// campaigns: spend next to last-touch orders and revenue, acquisitions, ROAS, CAC
		assertThat(campaigns()).containsExactly("2026-04-01|google-ads|spring|Spring|EUR|50|1000|30|1|30|1|0.6|50",
				"2026-04-02|google-ads|spring|Spring|null|null|null|null|1|5|0|null|null",
				"2026-04-02|meta|spring|Spring|EUR|20|500|10|1|25|1|1.25|20",
				"2026-04-03|meta|spring|Spring|null|null|null|null|1|0|0|null|null");

		// rejected rows, with their reasons
		assertThat(this.jdbc.query("""
				select event_id, line, mart, reason, value from etl.mart_rejected_row where workspace_id = ?
				 order by day, event_id, line""",
				(row, n) -> row.getString(1) + "|" + row.getInt(2) + "|" + row.getString(3) + "|" + row.getString(4)
						+ "|" + row.getString(5),
				this.workspace))
			.containsExactlyInAnyOrder(badDwell + "|-1|kiosk|dwell_seconds_not_a_number|x",
					badOrder + "|-1|customer|revenue_not_a_number|abc", badOrder + "|0|sales|missing_product_id|null");

		// a rerun of the range replaces its rows: the same rows, not doubled
		Map<String, List<String>> before = snapshot();
		JsonNode second = runMarts("{\"from\":\"2026-04-01\",\"to\":\"2026-04-03\"}");
		assertThat(snapshot()).isEqualTo(before);
		assertThat(this.jdbc.queryForList(
				"select distinct run_id::text from profile.mart_customer_day where workspace_id = ?", String.class,
				this.workspace))
			.containsExactly(second.get("runId").asString());

		// a backfill of an older day: its rows appear, the newer days are left as they
		// were
		event(this.ada, "track", "Order Completed", "2026-03-31T23:00:00Z",
				"{\"revenue\":8,\"products\":[{\"product_id\":\"C\",\"price\":8,\"category\":\"Toys\"}]}");
		event(this.ada, "track", "Product Viewed", "2026-04-01T15:00:00Z", "{\"product_id\":\"A\"}");
		flush();
		JsonNode backfill = runMarts("{\"from\":\"2026-03-31\",\"to\":\"2026-03-31\"}");
		assertThat(backfill.get("result").get("days").asInt()).isEqualTo(1);
		assertThat(customerDay(this.ada, "2026-03-31")).isEqualTo(List.of(1L, 1L, 0L, 1L, 1L, 8.0, 1.0));
		assertThat(sales("product", "product_id", "2026-03-31")).containsExactly("C|1|1|8|1");
		Map<String, List<String>> after = snapshot();
		for (String table : before.keySet()) {
			assertThat(after.get(table).stream().filter((row) -> !row.startsWith("2026-03-31")).toList()).as(table)
				.isEqualTo(before.get(table));
		}
		assertThat(this.jdbc.queryForList(
				"select day || ' ' || (run_id = ?::uuid) from profile.mart_day where workspace_id = ? order by day",
				String.class, backfill.get("runId").asString(), this.workspace))
			.containsExactly("2026-03-31 true", "2026-04-01 false", "2026-04-02 false", "2026-04-03 false");

		// the job is listed with its schedule and date range
		JsonNode jobs = JSON.readTree(get("/v1/jobs"));
		JsonNode marts = null;
		for (JsonNode job : jobs.get("jobs")) {
			if ("marts".equals(job.get("name").asString())) {
				marts = job;
			}
		}
		assertThat(marts).isNotNull();
		assertThat(marts.get("supportsDateRange").asBoolean()).isTrue();
		assertThat(marts.get("schedule").get("cron").asString()).isEqualTo("0 30 2 * * *");
		assertThat(post("/v1/jobs/marts/runs", "{\"parameters\":{\"lookbackDays\":0}}").statusCode()).isEqualTo(400);
	}

	private List<Object> customerDay(UUID profile, String day) {
		return this.jdbc.queryForObject("""
				select events, tracks, pages, sessions, orders, revenue::float8, units::float8
				  from profile.mart_customer_day where workspace_id = ? and profile_id = ? and day = ?::date""",
				(row, n) -> List.of(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
						row.getDouble(6), row.getDouble(7)),
				this.workspace, profile, day);
	}

	private List<String> sales(String mart, String key, String day) {
		return this.jdbc.query(
				"select " + key + ", orders, units, revenue, customers from profile.mart_sales_" + mart
						+ "_day where workspace_id = ? and day = ?::date order by 1",
				(row, n) -> row.getString(1) + "|" + row.getLong(2) + "|" + plain(row.getBigDecimal(3)) + "|"
						+ plain(row.getBigDecimal(4)) + "|" + row.getLong(5),
				this.workspace, day);
	}

	private List<String> kiosk() {
		return this.jdbc.query("""
				select day::text, zone, screen, impressions, clicks, visits, dwell_seconds
				  from profile.mart_kiosk_day where workspace_id = ? order by 1, 2, 3""",
				(row, n) -> String.join("|", row.getString(1), row.getString(2), row.getString(3),
						String.valueOf(row.getLong(4)), String.valueOf(row.getLong(5)), String.valueOf(row.getLong(6)),
						plain(row.getBigDecimal(7))),
				this.workspace);
	}

	private List<String> campaigns() {
		return this.jdbc.query(
				"""
						select day::text, channel, campaign, campaign_name, currency, spend, impressions, clicks, orders, revenue,
						       customers_acquired, roas, cac
						  from profile.mart_campaign_day where workspace_id = ? order by 1, 2, 3""",
				(row, n) -> {
					List<String> values = new ArrayList<>();
					for (int i = 1; i <= 13; i++) {
						Object value = row.getObject(i);
						values.add((value instanceof BigDecimal number) ? plain(number) : String.valueOf(value));
					}
					return String.join("|", values);
				}, this.workspace);
	}

	/** Every mart's rows of the workspace without their run id, sorted. */
	private Map<String, List<String>> snapshot() {
		Map<String, String> tables = Map.of("profile.mart_customer_day",
				"day, profile_id, events, tracks, pages, screens, identifies, sessions, orders, revenue, units, first_event_at, last_event_at",
				"profile.mart_sales_product_day", "day, product_id, name, orders, units, revenue, customers",
				"profile.mart_sales_category_day", "day, category, orders, units, revenue, customers",
				"profile.mart_sales_brand_day", "day, brand, orders, units, revenue, customers",
				"profile.mart_campaign_day",
				"day, channel, campaign, campaign_name, currency, spend, impressions, clicks, platform_conversions, platform_value, orders, revenue, customers_acquired, roas, cac",
				"profile.mart_kiosk_day", "day, zone, screen, impressions, clicks, visits, dwell_seconds, visitors",
				"etl.mart_rejected_row", "day, event_id, line, mart, reason, value");
		Map<String, List<String>> snapshot = new java.util.TreeMap<>();
		tables.forEach((table, columns) -> snapshot.put(table,
				this.jdbc.queryForList(
						"select concat_ws('|', " + columns + ") from " + table + " where workspace_id = ? order by 1",
						String.class, this.workspace)));
		return snapshot;
	}

	private void touch(UUID profile, String eventId, String at, String source, String campaign) {
		this.jdbc.update("""
				insert into profile.campaign_touch (workspace_id, event_id, profile_id, occurred_at, source, campaign)
				values (?, ?::uuid, ?, ?::timestamptz, ?, ?)""", this.workspace, eventId, profile, at, source,
				campaign);
	}

	private void spend(String source, String campaign, String day, String spend, long impressions, long clicks,
			String conversions, String value) {
		this.jdbc
			.update("""
					insert into profile.campaign_day (workspace_id, record_id, source, account_id, campaign_id, campaign_name,
					    day, currency, spend, impressions, clicks, conversions, conversion_value, pulled_at)
					values (?, ?, ?, 'acct', ?, ?, ?::date, 'EUR', ?::numeric, ?, ?, ?::numeric, ?::numeric, now())""",
					this.workspace, UUID.randomUUID(), source, "id-" + campaign, campaign, day, spend, impressions,
					clicks, conversions, value);
	}

	private static String plain(BigDecimal value) {
		return (value == null) ? "null" : value.stripTrailingZeros().toPlainString();
	}

	private JsonNode runMarts(String body) throws Exception {
		HttpResponse<String> accepted = post("/v1/jobs/marts/runs", body);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String runId = JSON.readTree(accepted.body()).get("runId").asString();
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
			last[0] = JSON.readTree(get("/v1/jobs/runs/" + runId));
			String status = last[0].path("status").asString("");
			return status.equals("succeeded") || status.equals("failed");
		});
		assertThat(last[0].get("status").asString()).as(last[0].toString()).isEqualTo("succeeded");
		return last[0];
	}

	private String get(String path) throws Exception {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("X-Lodestar-Workspace", this.workspace)
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("X-Lodestar-Workspace", this.workspace)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
