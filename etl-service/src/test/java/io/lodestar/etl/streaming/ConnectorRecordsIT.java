package io.lodestar.etl.streaming;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connector records query on a real broker and PostgreSQL (profile-service's
 * migrations): campaign days upserted by record id, orders as one {@code Order Completed}
 * on the customer's profile however often they are re-pulled (and in the lake once),
 * customers as identities and traits, and unusable records rejected with the reason.
 */
@SpringBootTest(properties = "lodestar.etl.scheduler.schedules-enabled=false")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConnectorRecordsIT {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SparkSession spark;

	private final String workspace = "conn-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "connector-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		OwnerSchema.profile();
	}

	@Test
	void aRePulledCampaignDayReplacesItselfAndAnOlderPullNeverWins() throws Exception {
		String key = "act_1:cmp-1:2026-11-20";
		UUID recordId = ConnectorRecord.recordIdFor(this.workspace, "meta-ads", "ad-campaign-day", key);
		send(campaignDay(recordId, key, "2026-11-21T03:00:00Z", "123.45", 321));
		await().atMost(Duration.ofSeconds(90)).until(() -> campaignDays() == 1);
		send(campaignDay(recordId, key, "2026-11-22T03:00:00Z", "130.10", 340));
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(spend(recordId)).isEqualByComparingTo("130.10"));
		// a replayed earlier pull arrives late: it does not overwrite the newer numbers
		send(campaignDay(recordId, key, "2026-11-21T03:00:00Z", "123.45", 321));
		send(campaignDay(UUID.randomUUID(), "act_1:cmp-2:2026-11-20", "2026-11-21T03:00:00Z", "5", 1));
		await().atMost(Duration.ofSeconds(90)).until(() -> campaignDays() == 2);

		Map<String, Object> day = this.jdbc.queryForMap(
				"select * from profile.campaign_day where workspace_id = ? and record_id = ?", this.workspace,
				recordId);
		assertThat((BigDecimal) day.get("spend")).isEqualByComparingTo("130.10");
		assertThat(day.get("clicks")).isEqualTo(340L);
		assertThat(day.get("campaign_id")).isEqualTo("cmp-1");
		assertThat(day.get("day").toString()).isEqualTo("2026-11-20");
		assertThat(day.get("currency")).isEqualTo("EUR");
		assertThat(day.get("source")).isEqualTo("meta-ads");
	}

	@Test
	void aGa4ReportRowIsKeptAndARePullReplacesIt() throws Exception {
		String key = "properties/123456789:2026-11-20:google / cpc|purchase";
		UUID recordId = ConnectorRecord.recordIdFor(this.workspace, "ga4", "analytics-report-row", key);
		send(reportRow(recordId, key, "2026-11-21T03:00:00Z", 14, "1288.5"));
		send(reportRow(recordId, key, "2026-11-22T03:00:00Z", 15, "1390"));
		// a replayed earlier pull arrives late: the newer numbers stay
		send(reportRow(recordId, key, "2026-11-21T03:00:00Z", 14, "1288.5"));
		// metrics that are not numbers, a dimension that is not a string: rejected
		String bad = "properties/123456789:2026-11-20:bad|" + recordId;
		send(reportRow(UUID.randomUUID(), bad, "2026-11-21T03:00:00Z", 1, "\"lots\""));
		send(reportRow(UUID.randomUUID(), bad, "2026-11-21T03:00:00Z", 1, "1").replace("\"eventName\":\"purchase\"",
				"\"eventName\":7"));
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(this.jdbc.queryForList(
					"select reason from etl.rejected_event where topic = ? and raw_value like ? order by kafka_offset",
					String.class, Topics.CONNECTOR_RECORDS, "%" + recordId + "%"))
				.containsExactly("data.metrics.purchaseRevenue is missing or not a number",
						"data.dimensions.eventName is not a string"));
		Map<String, Object> row = this.jdbc.queryForMap("""
				select property_id, day::text as day, dimensions->>'sessionSourceMedium' as source_medium,
				       (metrics->>'eventCount')::int as events, (metrics->>'purchaseRevenue')::numeric as revenue,
				       currency, time_zone
				  from profile.analytics_report_row where workspace_id = ? and record_id = ?""", this.workspace,
				recordId);
		assertThat(row).containsEntry("property_id", "123456789")
			.containsEntry("day", "2026-11-20")
			.containsEntry("source_medium", "google / cpc")
			.containsEntry("events", 15)
			.containsEntry("currency", "USD")
			.containsEntry("time_zone", "America/Los_Angeles");
		assertThat((BigDecimal) row.get("revenue")).isEqualByComparingTo("1390");
		assertThat(this.jdbc.queryForObject("select count(*) from profile.analytics_report_row where workspace_id = ?",
				Long.class, this.workspace))
			.isEqualTo(1L);
	}

	private String reportRow(UUID recordId, String key, String pulledAt, int events, String revenue) {
		return """
				{"recordId":"%s","kind":"analytics-report-row","schemaVersion":"1-0-0","workspaceId":"%s",
				 "connectorId":"c-ga4-1","source":"ga4","naturalKey":"%s","pulledAt":"%s",
				 "data":{"propertyId":"123456789","date":"2026-11-20",
				         "dimensions":{"sessionSourceMedium":"google / cpc","eventName":"purchase"},
				         "metrics":{"eventCount":%d,"activeUsers":13,"purchaseRevenue":%s},
				         "currency":"USD","timeZone":"America/Los_Angeles"}}""".formatted(recordId, this.workspace, key,
				pulledAt, events, revenue);
	}

	@Test
	void anOrderLandsOnceOnTheCustomersProfileHoweverOftenItIsRePulled() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String email = "ada." + run + "@lovelace.io";
		String user = "ada-" + run;
		sendEvent(user, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"identify\",\"schemaVersion\":\"1-0-0\","
				+ "\"occurredAt\":\"2026-11-19T10:00:00Z\",\"receivedAt\":\"2026-11-19T10:00:00Z\",\"workspaceId\":\""
				+ this.workspace + "\",\"messageId\":\"m-" + run + "\",\"identity\":{\"userId\":\"" + user + "\"},"
				+ "\"payload\":{\"traits\":{\"email\":\"" + email + "\"}}}");
		await().atMost(Duration.ofSeconds(90)).until(() -> profileOf("user_id", user) != null);
		UUID person = profileOf("user_id", user);

		String orderKey = "gid://shopify/Order/" + run;
		UUID orderRecord = ConnectorRecord.recordIdFor(this.workspace, "shopify", "order", orderKey);
		String order = order(orderRecord, orderKey, "gid://shopify/Customer/" + run, email.toUpperCase());
		send(order);
		send(order.replace("\"PAID\"", "\"PARTIALLY_REFUNDED\""));
		send(order);
		await().atMost(Duration.ofSeconds(90)).until(() -> orders(person) == 1);

		Map<String, Object> event = this.jdbc.queryForMap("""
				select event_id, event_type, occurred_at, properties::text as properties from profile.profile_event
				 where workspace_id = ? and profile_id = ? and event_name = 'Order Completed'""", this.workspace,
				person);
		assertThat(event.get("event_type")).isEqualTo("track");
		assertThat(event.get("occurred_at").toString()).startsWith("2026-11-20 10:15:30");
		assertThat((String) event.get("properties")).contains("\"order_id\": \"" + orderKey + "\"")
			.contains("\"revenue\": 15.3")
			.contains("\"currency\": \"GBP\"")
			.contains("\"product_id\": \"gid://shopify/Product/1\"")
			.contains("\"sku\": \"85123A\"")
			.contains("\"name\": \"WHITE HANGING HEART T-LIGHT HOLDER\"")
			.contains("\"price\": 2.55")
			.contains("\"quantity\": 6");
		assertThat(profileOf("customer_id", "shopify:gid://shopify/Customer/" + run)).isEqualTo(person);
		assertThat(this.jdbc.queryForObject(
				"select event_count from profile.profile where workspace_id = ? and profile_id = ?", Long.class,
				this.workspace, person))
			.isEqualTo(2);
		String eventId = event.get("event_id").toString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.spark.table(LakeTable.EVENTS)
				.where(col("workspace_id").equalTo(this.workspace).and(col("event_id").equalTo(eventId)))
				.count() == 1);
		assertThat(this.spark.table(LakeTable.EVENTS)
			.where(col("workspace_id").equalTo(this.workspace).and(col("event_id").equalTo(eventId)))
			.first()
			.<String>getAs("profile_id")).isEqualTo(person.toString());
	}

	@Test
	void aCustomerBringsIdentitiesAndTraitsAndAnUnknownCustomersOrderCreatesTheProfile() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String customerId = "gid://shopify/Customer/c" + run;
		String customerKey = customerId;
		UUID customerRecord = ConnectorRecord.recordIdFor(this.workspace, "shopify", "customer", customerKey);
		send("""
				{"recordId":"%s","kind":"customer","schemaVersion":"1-0-0","workspaceId":"%s","connectorId":"c-shop-1",
				 "source":"shopify","naturalKey":"%s","pulledAt":"2026-11-21T03:00:00Z",
				 "data":{"customerId":"%s","email":"grace.%s@navy.mil","phone":"+1 202 555 0147",
				         "createdAt":"2026-01-02T08:00:00Z","updatedAt":"2026-11-01T08:00:00Z",
				         "traits":{"acceptsMarketing":true,"ordersCount":3}}}""".formatted(customerRecord,
				this.workspace, customerKey, customerId, run));
		await().atMost(Duration.ofSeconds(90)).until(() -> profileOf("customer_id", "shopify:" + customerId) != null);
		UUID grace = profileOf("customer_id", "shopify:" + customerId);
		assertThat(profileOf("email_sha256", Identifiers.emailHash("grace." + run + "@navy.mil").orElseThrow()))
			.isEqualTo(grace);
		assertThat(profileOf("phone_sha256", Identifiers.phoneHash("+12025550147").orElseThrow())).isEqualTo(grace);
		assertThat(this.jdbc.queryForObject(
				"select traits::text from profile.profile where workspace_id = ? and profile_id = ?", String.class,
				this.workspace, grace))
			.contains("\"acceptsMarketing\": true")
			.contains("\"ordersCount\": 3")
			.doesNotContain("navy.mil");

		// an order known only by the customer id joins Grace; one of a stranger makes a
		// profile
		String orderKey = "gid://shopify/Order/g" + run;
		send(order(ConnectorRecord.recordIdFor(this.workspace, "shopify", "order", orderKey), orderKey, customerId,
				null));
		String strangerKey = "gid://shopify/Order/s" + run;
		send(order(ConnectorRecord.recordIdFor(this.workspace, "shopify", "order", strangerKey), strangerKey,
				"gid://shopify/Customer/s" + run, null));
		await().atMost(Duration.ofSeconds(90))
			.until(() -> profileOf("customer_id", "shopify:gid://shopify/Customer/s" + run) != null);
		await().atMost(Duration.ofSeconds(30)).until(() -> orders(grace) == 1);
		UUID stranger = profileOf("customer_id", "shopify:gid://shopify/Customer/s" + run);
		assertThat(stranger).isNotEqualTo(grace);
		assertThat(orders(stranger)).isEqualTo(1);
	}

	@Test
	void unusableRecordsAreRejectedWithTheirReason() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		send("not a record " + run);
		send("""
				{"recordId":"%s","kind":"web-session","schemaVersion":"1-0-0","workspaceId":"%s","connectorId":"c",
				 "source":"ga4","naturalKey":"%s","pulledAt":"2026-11-21T03:00:00Z","data":{}}"""
			.formatted(UUID.randomUUID(), this.workspace, run));
		send(campaignDay(UUID.randomUUID(), "act_9:neg-" + run + ":2026-11-20", "2026-11-21T03:00:00Z", "-1", 3));
		send(order(UUID.randomUUID(), "o-" + run, "c-" + run, null).replace("\"orderId\"", "\"orderRef\""));
		send(order(UUID.randomUUID(), "j-" + run, "undefined", null));

		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(this.jdbc.queryForList("""
					select reason from etl.rejected_event where topic = ? and raw_value like ? order by kafka_offset""",
					String.class, Topics.CONNECTOR_RECORDS, "%" + run + "%"))
				.containsExactly("value is not a JSON connector record", "unknown connector record kind: web-session",
						"data.spend is negative", "data.orderId is missing or not a string",
						"identity has no usable identifier: userId, anonymousId, email, phone, device and customer ids "
								+ "are absent or junk values (such as \"undefined\" or \"0\")"));
	}

	private String campaignDay(UUID recordId, String key, String pulledAt, String spend, int clicks) {
		String[] parts = key.split(":");
		return """
				{"recordId":"%s","kind":"ad-campaign-day","schemaVersion":"1-0-0","workspaceId":"%s",
				 "connectorId":"c-meta-1","source":"meta-ads","naturalKey":"%s","pulledAt":"%s",
				 "data":{"accountId":"%s","campaignId":"%s","campaignName":"Winter Sale","date":"2026-11-20",
				         "currency":"EUR","spend":%s,"impressions":10234,"clicks":%d,"conversions":12,
				         "conversionValue":845.6}}""".formatted(recordId, this.workspace, key, pulledAt, parts[0],
				parts[1], spend, clicks);
	}

	private String order(UUID recordId, String orderKey, String customerId, String email) {
		return """
				{"recordId":"%s","kind":"order","schemaVersion":"1-0-0","workspaceId":"%s","connectorId":"c-shop-1",
				 "source":"shopify","naturalKey":"%s","pulledAt":"2026-11-21T03:00:00Z",
				 "data":{"orderId":"%s","orderNumber":"#1001","createdAt":"2026-11-20T10:15:30Z",
				         "updatedAt":"2026-11-20T11:00:00Z","status":"PAID","currency":"GBP","total":15.3,
				         "lineItems":[{"sku":"85123A","productId":"gid://shopify/Product/1",
				                       "name":"WHITE HANGING HEART T-LIGHT HOLDER","quantity":6,"unitPrice":2.55}],
				         "customer":{"customerId":"%s"%s}}}""".formatted(recordId, this.workspace, orderKey, orderKey,
				customerId, (email != null) ? ",\"email\":\"" + email + "\"" : "");
	}

	private long campaignDays() {
		return this.jdbc.queryForObject("select count(*) from profile.campaign_day where workspace_id = ?", Long.class,
				this.workspace);
	}

	private BigDecimal spend(UUID recordId) {
		return this.jdbc.queryForObject(
				"select spend from profile.campaign_day where workspace_id = ? and record_id = ?", BigDecimal.class,
				this.workspace, recordId);
	}

	private long orders(UUID profile) {
		return this.jdbc.queryForObject("""
				select count(*) from profile.profile_event
				 where workspace_id = ? and profile_id = ? and event_name = 'Order Completed'""", Long.class,
				this.workspace, profile);
	}

	private UUID profileOf(String kind, String value) {
		List<UUID> profiles = this.jdbc.queryForList(
				"select profile_id from profile.profile_identity where workspace_id = ? and kind = ? and value = ?",
				UUID.class, this.workspace, kind, value);
		return profiles.isEmpty() ? null : profiles.get(0);
	}

	private void send(String value) throws Exception {
		try (KafkaProducer<String, String> producer = producer()) {
			producer.send(new ProducerRecord<>(Topics.CONNECTOR_RECORDS, this.workspace, value))
				.get(30, TimeUnit.SECONDS);
		}
	}

	private void sendEvent(String key, String value) throws Exception {
		try (KafkaProducer<String, String> producer = producer()) {
			producer.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, this.workspace + ":" + key, value))
				.get(30, TimeUnit.SECONDS);
		}
	}

	private static KafkaProducer<String, String> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new StringSerializer());
	}

}
