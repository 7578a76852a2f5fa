package io.lodestar.etl.traits;

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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Computed traits and per-trait merge strategies through the real streaming path:
 * sessions counted exactly when a late event bridges two, orders, revenue, average order
 * value, first and last purchase, favourite category and brand, acquisition from the
 * earliest touch whatever order touches arrive in, the strategies on identify traits, and
 * all of it combined when a visitor's profile is merged into the person's; then the
 * profile rebuild from the lake over the same events.
 */
@SpringBootTest(properties = { "lodestar.etl.scheduler.schedules-enabled=false",
		"lodestar.etl.traits.strategies=firstSource=first,points=max,lowest=min,tags=append" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ComputedTraitsIT {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	List<BatchJob> jobs;

	private final String workspace = "traits-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "traits-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		OwnerSchema.profile();
	}

	@Test
	void computedTraitsAndStrategiesHoldThroughMerges() throws Exception {
		String ada = "ada";
		String browser = "browser-1";
		// day 1: 10:00, 10:10 (one session), 10:50 (a second); a late event at 10:30
		// arrives last and bridges them into one
		send(ada, event("track", ada, null, "2026-11-01T10:00:00Z", "{\"event\":\"Product Viewed\"}",
				"{\"campaign\":{\"source\":\"Newsletter\",\"medium\":\"email\",\"name\":\"Nov\"}}"));
		send(ada, event("track", ada, null, "2026-11-01T10:10:00Z", "{\"event\":\"Product Viewed\"}", "{}"));
		send(ada, event("page", ada, null, "2026-11-01T10:50:00Z", "{\"name\":\"Home\"}", "{}"));
		send(ada, event("identify", ada, null, "2026-11-01T10:51:00Z",
				"{\"traits\":{\"firstSource\":\"newsletter\",\"points\":10,\"lowest\":5,\"tags\":[\"a\"],\"plan\":\"free\"}}",
				"{}"));
		send(ada, purchase(ada, null, "2026-11-02T09:00:00Z", "40.00",
				"[{\"product_id\":\"p1\",\"category\":\"Kitchen\",\"brand\":\"Acme\",\"price\":10,\"quantity\":3},"
						+ "{\"product_id\":\"p2\",\"category\":\"Garden\",\"brand\":\"Bolt\",\"price\":10}]"));
		awaitEvents(ada, 5);
		UUID person = profileOf("user_id", ada);
		Map<String, Object> computed = computed(person);
		assertThat(computed.get("sessions")).isEqualTo(3L);
		send(ada, event("track", ada, null, "2026-11-01T10:30:00Z", "{\"event\":\"Product Viewed\"}", "{}"));
		send(ada, event("identify", ada, null, "2026-11-03T10:00:00Z",
				"{\"traits\":{\"firstSource\":\"ads\",\"points\":7,\"lowest\":9,\"tags\":[\"b\",\"a\"],\"plan\":\"pro\"}}",
				"{}"));
		awaitEvents(ada, 7);
		computed = computed(person);
		assertThat(computed.get("sessions")).as("the late event joins two sessions into one").isEqualTo(2L);
		assertThat(computed.get("orders")).isEqualTo(1L);
		assertThat((BigDecimal) computed.get("revenue")).isEqualByComparingTo("40");
		assertThat((BigDecimal) computed.get("average_order_value")).isEqualByComparingTo("40");
		assertThat(computed.get("first_purchase_at").toString()).startsWith("2026-11-02 09:00:00");
		assertThat(computed.get("favourite_category")).isEqualTo("Kitchen");
		assertThat(computed.get("favourite_brand")).isEqualTo("Acme");
		assertThat(computed.get("acquisition_source")).isEqualTo("newsletter");
		assertThat(computed.get("acquisition_channel")).isEqualTo("Email");
		assertThat(traits(person)).contains("\"firstSource\": \"newsletter\"")
			.contains("\"points\": 10")
			.contains("\"lowest\": 5")
			.contains("\"tags\": [\"a\", \"b\"]")
			.contains("\"plan\": \"pro\"");

		// a visitor who came earlier from a Google ad, bought twice (Garden), then logs
		// in
		send(browser, event("page", null, browser, "2026-10-30T08:00:00Z", "{\"name\":\"Landing\"}",
				"{\"page\":{\"url\":\"https://shop.example/?utm_source=google&utm_medium=cpc&gclid=x\"}}"));
		send(browser, purchase(null, browser, "2026-10-30T08:05:00Z", "25",
				"[{\"product_id\":\"p3\",\"category\":\"Garden\",\"brand\":\"Bolt\",\"price\":5,\"quantity\":5}]"));
		send(browser, purchase(null, browser, "2026-11-05T08:05:00Z", "15",
				"[{\"product_id\":\"p4\",\"category\":\"Garden\",\"price\":5,\"quantity\":3}]"));
		send(browser, event("identify", null, browser, "2026-11-05T08:06:00Z",
				"{\"traits\":{\"firstSource\":\"google\",\"points\":30,\"lowest\":1,\"tags\":\"c\"}}", "{}"));
		awaitEvents(browser, 4);
		UUID visitor = profileOf("anonymous_id", browser);
		assertThat(visitor).isNotEqualTo(person);
		send(ada, event("track", ada, browser, "2026-11-05T08:10:00Z", "{\"event\":\"Signed In\"}", "{}"));
		await().atMost(Duration.ofSeconds(90)).until(() -> person.equals(profileOf("anonymous_id", browser)));

		computed = computed(person);
		assertThat(computed.get("orders")).isEqualTo(3L);
		assertThat((BigDecimal) computed.get("revenue")).isEqualByComparingTo("80");
		assertThat((BigDecimal) computed.get("average_order_value")).isEqualByComparingTo("26.6667");
		assertThat(computed.get("first_purchase_at").toString()).startsWith("2026-10-30 08:05:00");
		assertThat(computed.get("last_purchase_at").toString()).startsWith("2026-11-05 08:05:00");
		assertThat(computed.get("favourite_category")).as("9 Garden units against 3 Kitchen").isEqualTo("Garden");
		assertThat(computed.get("favourite_brand")).isEqualTo("Bolt");
		assertThat(computed.get("acquisition_source")).as("the earlier touch").isEqualTo("google");
		assertThat(computed.get("acquisition_channel")).isEqualTo("Paid Search");
		// Oct 30 (one), Nov 1 (one after the bridge), Nov 2, Nov 5 (one: 08:05 → 08:10)
		assertThat(computed.get("sessions")).isEqualTo(4L);
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile_computed where profile_id = ?",
				Long.class, visitor))
			.isZero();
		assertThat(traits(person)).as("first: the visitor was seen first; max, min, append; latest: the survivor's")
			.contains("\"firstSource\": \"google\"")
			.contains("\"points\": 30")
			.contains("\"lowest\": 1")
			.contains("\"tags\": [\"a\", \"b\", \"c\"]")
			.contains("\"plan\": \"pro\"");

		rebuildFromTheLakeRestoresWhatStreamingBuilt(person, visitor, computed);
	}

	/**
	 * The profile rebuild (job {@code profiles}) over the same events: a dry run finds
	 * streaming's profile as the lake has it — but for the first-wins trait, which the
	 * rebuild takes in the order values were sent (ada's, 1 Nov) where the merge took the
	 * profile seen first (the visitor's, sent 5 Nov); after the profile's parts are
	 * corrupted, a rebuild puts back every one of them.
	 */
	private void rebuildFromTheLakeRestoresWhatStreamingBuilt(UUID person, UUID visitor, Map<String, Object> computed)
			throws Exception {
		List<Map<String, Object>> counts = eventCounts(person);
		assertThat(counts).hasSize(5);
		Map<String, Object> dry = rebuild(Map.of("dryRun", true));
		assertThat(dry).containsEntry("events", 12L)
			.containsEntry("profilesRebuilt", 1L)
			.containsEntry("profilesSkipped", 0L)
			.containsEntry("profilesWithoutLakeEvents", 0L)
			.containsEntry("dryRun", true);
		assertThat(dry.get("drift")).as("only the first-wins trait differs")
			.isEqualTo(Map.of("eventCount", 0L, "traits", 1L, "eventsByType", 0L, "computed", 0L, "affinities", 0L));
		assertThat(traits(person)).contains("\"firstSource\": \"google\"");

		this.jdbc.update("update profile.profile set event_count = 1, traits = '{}' where profile_id = ?", person);
		this.jdbc.update("update profile.profile_event_count set event_count = 99 where profile_id = ?", person);
		this.jdbc.update("delete from profile.profile_affinity where profile_id = ?", person);
		this.jdbc.update("delete from profile.profile_computed where profile_id = ?", person);
		Map<String, Object> repaired = rebuild(Map.of());
		assertThat(repaired.get("drift"))
			.isEqualTo(Map.of("eventCount", 1L, "traits", 1L, "eventsByType", 1L, "computed", 1L, "affinities", 1L));
		assertThat(this.jdbc.queryForObject("select event_count from profile.profile where profile_id = ?", Long.class,
				person))
			.isEqualTo(12L);
		assertThat(eventCounts(person)).isEqualTo(counts);
		Map<String, Object> rebuilt = computed(person);
		for (String column : List.of("sessions", "orders", "revenue", "average_order_value", "first_purchase_at",
				"last_purchase_at", "favourite_category", "favourite_brand", "acquisition_source", "acquisition_medium",
				"acquisition_campaign", "acquisition_channel", "acquired_at")) {
			assertThat(rebuilt.get(column)).as(column).isEqualTo(computed.get(column));
		}
		assertThat(traits(person)).contains("\"firstSource\": \"newsletter\"")
			.contains("\"points\": 30")
			.contains("\"lowest\": 1")
			.contains("\"tags\": [\"a\", \"b\", \"c\"]")
			.contains("\"plan\": \"pro\"");
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where profile_id = ?", Long.class,
				visitor))
			.isZero();
		assertThat(rebuild(Map.of("dryRun", true)).get("drift")).as("nothing left to repair")
			.isEqualTo(Map.of("eventCount", 0L, "traits", 0L, "eventsByType", 0L, "computed", 0L, "affinities", 0L));
		assertThat(rebuild(Map.of("profileId", person.toString()))).containsEntry("profilesRebuilt", 1L)
			.containsEntry("events", 12L);
	}

	private Map<String, Object> rebuild(Map<String, Object> parameters) throws Exception {
		BatchJob job = this.jobs.stream().filter((candidate) -> candidate.name().equals("profiles")).findFirst().get();
		JobRequest request = new JobRequest(null, null, parameters);
		job.validate(request);
		return job.run(JobContext.standalone("profiles", this.workspace, request)).summary();
	}

	private List<Map<String, Object>> eventCounts(UUID profile) {
		return this.jdbc.queryForList("""
				select event_type, event_name, event_count, first_at, last_at from profile.profile_event_count
				 where workspace_id = ? and profile_id = ? order by event_type, event_name""", this.workspace, profile);
	}

	private Map<String, Object> computed(UUID profile) {
		return this.jdbc.queryForMap("select * from profile.profile_computed where workspace_id = ? and profile_id = ?",
				this.workspace, profile);
	}

	private String traits(UUID profile) {
		return this.jdbc.queryForObject(
				"select traits::text from profile.profile where workspace_id = ? and profile_id = ?", String.class,
				this.workspace, profile);
	}

	private void awaitEvents(String identifier, long count) {
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.jdbc
				.queryForList(
						"""
								select p.event_count from profile.profile p join profile.profile_identity i using (workspace_id, profile_id)
								 where i.workspace_id = ? and i.value = ?""",
						Long.class, this.workspace, identifier)
				.stream()
				.anyMatch((n) -> n == count));
	}

	private UUID profileOf(String kind, String value) {
		return this.jdbc
			.queryForList(
					"select profile_id from profile.profile_identity where workspace_id = ? and kind = ? and value = ?",
					UUID.class, this.workspace, kind, value)
			.stream()
			.findFirst()
			.orElse(null);
	}

	private String purchase(String user, String anonymous, String at, String revenue, String products) {
		return event(
				"track", user, anonymous, at, "{\"event\":\"Order Completed\",\"properties\":{\"order_id\":\""
						+ UUID.randomUUID() + "\",\"revenue\":\"" + revenue + "\",\"products\":" + products + "}}",
				"{}");
	}

	private String event(String type, String user, String anonymous, String at, String payload, String context) {
		UUID id = UUID.randomUUID();
		String identity = ((user != null) ? "\"userId\":\"" + user + "\"" : "")
				+ ((user != null && anonymous != null) ? "," : "")
				+ ((anonymous != null) ? "\"anonymousId\":\"" + anonymous + "\"" : "");
		return """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"%s","receivedAt":"%s",
				 "workspaceId":"%s","messageId":"%s","identity":{%s},"context":%s,"payload":%s}""".formatted(id, type,
				at, at, this.workspace, id, identity, context, payload);
	}

	private void send(String key, String value) throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			producer.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, this.workspace + ":" + key, value))
				.get(30, TimeUnit.SECONDS);
		}
	}

}
