package io.lodestar.etl.streaming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streaming job on a real broker and a real PostgreSQL (with profile-service's own
 * migrations, the owner of the profile tables): events become profiles exactly once;
 * malformed values are rejected, never applied.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// its streaming job must not outlive the class: CrashRecoveryIT needs the topic to itself
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class StreamingProfileJobIT {

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etl-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		OwnerSchema.profile();
	}

	@Test
	void eventsBecomeProfilesExactlyOnceAndMalformedValuesAreRejected() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String user = "u-" + run;
		String device = "a-" + run;
		String stranger = "a2-" + run;
		String duplicateId = UUID.randomUUID().toString();
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user, envelope(UUID.randomUUID().toString(), "identify", user, device,
					"{\"traits\":{\"plan\":\"pro\",\"country\":\"PT\"}}", "2026-11-20T10:00:00Z"));
			send(producer, "demo:" + user, envelope(duplicateId, "track", user, null,
					"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":10}}", "2026-11-20T10:01:00Z"));
			send(producer, "demo:" + user, envelope(duplicateId, "track", user, null,
					"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":10}}", "2026-11-20T10:01:00Z"));
			send(producer, "demo:" + user, envelope(UUID.randomUUID().toString(), "track", user, null,
					"{\"event\":\"Order Completed\"}", "2026-11-20T10:02:00Z"));
			send(producer, "demo:" + device, envelope(UUID.randomUUID().toString(), "track", null, device,
					"{\"event\":\"Product Viewed\"}", "2026-11-20T09:00:00Z"));
			send(producer, "demo:" + stranger, envelope(UUID.randomUUID().toString(), "page", null, stranger,
					"{\"name\":\"Home\"}", "2026-11-20T11:00:00Z"));
			send(producer, "demo:" + run, "this is not an event " + run);
			send(producer, "demo:" + run, envelope(UUID.randomUUID().toString(), "track", null, null,
					"{\"event\":\"x-" + run + "\"}", "2026-11-20T11:00:00Z"));
		}

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(user)).isEqualTo(4);
			assertThat(eventCount(stranger)).isEqualTo(1);
			assertThat(this.jdbc.queryForObject("select count(*) from etl.rejected_event where raw_value like ?",
					Long.class, "%" + run + "%"))
				.isEqualTo(2);
		});

		Map<String, Object> profile = this.jdbc.queryForMap("""
				select p.profile_id, p.user_id, p.traits::text as traits, p.first_seen_at, p.last_seen_at
				  from profile.profile p join profile.profile_identity i using (workspace_id, profile_id)
				 where i.workspace_id = 'demo' and i.kind = 'user_id' and i.value = ?""", user);
		assertThat(profile.get("user_id")).isEqualTo(user);
		assertThat((String) profile.get("traits")).contains("\"plan\": \"pro\"").contains("\"country\": \"PT\"");
		assertThat(profile.get("first_seen_at").toString()).startsWith("2026-11-20 09:00:00");
		assertThat(profile.get("last_seen_at").toString()).startsWith("2026-11-20 10:02:00");
		UUID profileId = (UUID) profile.get("profile_id");
		assertThat(this.jdbc.queryForObject(
				"select profile_id from profile.profile_identity where workspace_id = 'demo' and kind = 'anonymous_id' and value = ?",
				UUID.class, device))
			.as("the device seen before the identify joins the person's profile")
			.isEqualTo(profileId);
		assertThat(countOf(profileId, "track", "Order Completed")).isEqualTo(2);
		assertThat(countOf(profileId, "track", "Product Viewed")).isEqualTo(1);
		assertThat(countOf(profileId, "identify", "")).isEqualTo(1);
		assertThat(this.jdbc.queryForList(
				"select event_name from profile.profile_event where workspace_id = 'demo' and profile_id = ? order by occurred_at",
				String.class, profileId))
			.as("the timeline holds each applied event once, the anonymous one included")
			.containsExactly("Product Viewed", "", "Order Completed", "Order Completed");
		assertThat(this.jdbc.queryForObject(
				"select properties::text from profile.profile_event where workspace_id = 'demo' and event_id = ?::uuid",
				String.class, duplicateId))
			.contains("\"revenue\": 10");
		assertThat(this.jdbc.queryForList(
				"select reason from etl.rejected_event where raw_value like ? order by kafka_offset", String.class,
				"%" + run + "%"))
			.containsExactly("value is not a JSON event envelope", "identity has neither userId nor anonymousId");
	}

	@Test
	void testTrafficAndBotsAreQuarantinedNotCounted() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String user = "q-" + run;
		UUID testEmail = UUID.randomUUID();
		UUID bot = UUID.randomUUID();
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user,
					raw(testEmail, user, "identify", "{\"traits\":{\"email\":\"test+" + run + "@shop.com\"}}", "{}"));
			send(producer, "demo:" + user, raw(bot, user, "track", "{\"event\":\"Page Crawled\"}",
					"{\"userAgent\":\"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\"}"));
			send(producer, "demo:" + user, raw(UUID.randomUUID(), user, "track", "{\"event\":\"Clicked\"}",
					"{\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0\"}"));
		}

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(user)).isEqualTo(1);
			assertThat(this.jdbc.queryForList(
					"select rule from etl.quarantined_event where event_id in (?, ?) order by rule", String.class,
					testEmail, bot))
				.containsExactly("bot_user_agent", "test_email");
		});
	}

	private static String raw(UUID eventId, String user, String type, String payload, String context) {
		return """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"2026-11-23T10:00:00Z",
				 "receivedAt":"2026-11-23T10:00:00Z","workspaceId":"demo","sourceId":"web","messageId":"%s",
				 "identity":{"userId":"%s"},"context":%s,"payload":%s}""".formatted(eventId, type, eventId, user,
				context, payload);
	}

	@Test
	void emailsPhonesAndDevicesBecomeIdentifiersWithoutMergingPeople() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String ada = "id-ada-" + run;
		String grace = "id-grace-" + run;
		String email = "ada." + run + "@lovelace.io";
		String device = "idfa-" + run;
		String digits = String.valueOf(100 + Math.floorMod(run.hashCode(), 900));
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + ada,
					raw(UUID.randomUUID(), ada, "identify",
							"{\"traits\":{\"email\":\" " + email.toUpperCase() + "\",\"phone\":\"+351 912 345 " + digits
									+ "\"}}",
							"{\"device\":{\"advertisingId\":\"" + device
									+ "\",\"id\":\"00000000-0000-0000-0000-000000000000\"}}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(ada)).isEqualTo(1));
		try (KafkaProducer<String, String> producer = producer()) {
			// then another person gives the same address (a shared mailbox, a typo): no
			// merge
			send(producer, "demo:" + grace, raw(UUID.randomUUID(), grace, "identify",
					"{\"traits\":{\"email\":\"" + email + "\",\"phone\":\"undefined\"}}", "{}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(grace)).isEqualTo(1));
		UUID adaProfile = profileOf(ada);
		UUID graceProfile = profileOf(grace);
		assertThat(graceProfile).isNotEqualTo(adaProfile);
		Map<String, Object> identities = new java.util.TreeMap<>();
		this.jdbc
			.queryForList(
					"select kind, value from profile.profile_identity where workspace_id = 'demo' and profile_id = ?",
					adaProfile)
			.forEach((row) -> identities.put((String) row.get("kind"), row.get("value")));
		assertThat(identities).containsEntry("email_sha256", Identifiers.emailHash(email).orElseThrow())
			.containsEntry("phone_sha256", Identifiers.phoneHash("+351912345" + digits).orElseThrow())
			.containsEntry("device_id", device)
			.containsEntry("user_id", ada)
			.hasSize(4);
		// the address stays with the profile that had it first; junk values identify
		// nobody
		assertThat(this.jdbc.queryForList(
				"select kind from profile.profile_identity where workspace_id = 'demo' and profile_id = ?",
				String.class, graceProfile))
			.containsExactly("user_id");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_identity where workspace_id = 'demo' and value like '00000000-%'",
				Long.class))
			.isZero();
	}

	@Test
	void eventsOfErasedPeopleAreQuarantinedNotApplied() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String erased = "erased-" + run;
		this.jdbc.update("""
				insert into profile.suppressed_identity (workspace_id, kind, value_sha256, request_id)
				values ('demo', 'user_id', ?, ?)""", Identifiers.suppressionHash(IdentifierKind.USER_ID, erased),
				UUID.randomUUID());
		UUID eventId = UUID.randomUUID();
		String kept = "kept-" + run;
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + erased, raw(eventId, erased, "track", "{\"event\":\"Came Back\"}", "{}"));
			send(producer, "demo:" + kept, raw(UUID.randomUUID(), kept, "track", "{\"event\":\"Came Back\"}", "{}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(kept)).isEqualTo(1);
			assertThat(this.jdbc.queryForList("select rule from etl.quarantined_event where event_id = ?", String.class,
					eventId))
				.containsExactly("suppressed");
		});
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_identity where workspace_id = 'demo' and value = ?", Long.class,
				erased))
			.isZero();
	}

	@Test
	void anAnonymousProfileIsMergedIntoThePersonWhenTheVisitorIdentifies() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String user = "m-u-" + run;
		String device = "m-a-" + run;
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user, envelope(UUID.randomUUID().toString(), "track", user, null,
					"{\"event\":\"Signed In\"}", "2026-11-21T10:00:00Z"));
			send(producer, "demo:" + device, envelope(UUID.randomUUID().toString(), "track", null, device,
					"{\"event\":\"Product Viewed\"}", "2026-11-21T09:00:00Z"));
			send(producer, "demo:" + device, envelope(UUID.randomUUID().toString(), "identify", null, device,
					"{\"traits\":{\"theme\":\"dark\",\"plan\":\"free\"}}", "2026-11-21T09:01:00Z"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(user)).isEqualTo(1);
			assertThat(eventCount(device)).isEqualTo(2);
		});
		UUID anonymousProfile = profileOf(device);

		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user, envelope(UUID.randomUUID().toString(), "identify", user, device,
					"{\"traits\":{\"plan\":\"pro\"}}", "2026-11-21T10:05:00Z"));
		}

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(user)).isEqualTo(4));
		UUID person = profileOf(user);
		assertThat(profileOf(device)).isEqualTo(person);
		Map<String, Object> merged = this.jdbc.queryForMap(
				"select traits::text as traits, first_seen_at from profile.profile where workspace_id = 'demo' and profile_id = ?",
				person);
		assertThat((String) merged.get("traits")).contains("\"plan\": \"pro\"").contains("\"theme\": \"dark\"");
		assertThat(merged.get("first_seen_at").toString()).startsWith("2026-11-21 09:00:00");
		assertThat(countOf(person, "track", "Product Viewed")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_event where workspace_id = 'demo' and profile_id = ?", Long.class,
				person))
			.as("the merged profile's timeline moved over")
			.isEqualTo(4);
		assertThat(countOf(person, "identify", "")).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where profile_id = ?", Long.class,
				anonymousProfile))
			.isZero();
		assertThat(this.jdbc.queryForObject(
				"select into_profile_id from profile.profile_merge where workspace_id = 'demo' and merged_profile_id = ?",
				UUID.class, anonymousProfile))
			.isEqualTo(person);
	}

	@Test
	void anEventWithOnlyADeviceIdLandsOnThePersonTheDeviceBelongsTo() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String ada = "dev-ada-" + run;
		String adid = "adid-" + run;
		String install = "install-" + run;
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + ada, raw(UUID.randomUUID(), ada, "identify", "{\"traits\":{}}",
					"{\"device\":{\"advertisingId\":\"" + adid + "\"}}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(ada)).isEqualTo(1));
		try (KafkaProducer<String, String> producer = producer()) {
			// a fresh app install: a new anonymousId, the same advertising id
			send(producer, "demo:" + install, anonymous(UUID.randomUUID(), install, "{\"event\":\"App Opened\"}",
					"{\"device\":{\"advertisingId\":\"" + adid + "\"}}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(ada)).isEqualTo(2));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_event where workspace_id = 'demo' and profile_id = ? and event_name = 'App Opened'",
				Long.class, profileOf(ada)))
			.isEqualTo(1);
		// the device alone does not make the new install Ada's (a family tablet): her
		// login on it will
		assertThat(this.jdbc.queryForObject(
				"select count(*) from profile.profile_identity where workspace_id = 'demo' and value = ?", Long.class,
				install))
			.isZero();
	}

	@Test
	void aVisitorWhoGivesAKnownEmailIsMergedIntoThePerson() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String ada = "em-ada-" + run;
		String email = "ada.em." + run + "@lovelace.io";
		String laptop = "laptop-" + run;
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + ada,
					raw(UUID.randomUUID(), ada, "identify", "{\"traits\":{\"email\":\"" + email + "\"}}", "{}"));
			send(producer, "demo:" + laptop,
					anonymous(UUID.randomUUID(), laptop, "{\"event\":\"Product Viewed\"}", "{}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(ada)).isEqualTo(1);
			assertThat(eventCount(laptop)).isEqualTo(1);
		});
		UUID guest = profileOf(laptop);
		try (KafkaProducer<String, String> producer = producer()) {
			// the guest checks out with Ada's address (in the context traits, as
			// analytics.js sends it on a track)
			send(producer, "demo:" + laptop, anonymous(UUID.randomUUID(), laptop, "{\"event\":\"Checkout Started\"}",
					"{\"traits\":{\"email\":\"" + email.toUpperCase() + "\"}}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(ada)).isEqualTo(3));
		UUID person = profileOf(ada);
		assertThat(profileOf(laptop)).isEqualTo(person).isNotEqualTo(guest);
		assertThat(this.jdbc.queryForMap(
				"select into_profile_id, reason from profile.profile_merge where workspace_id = 'demo' and merged_profile_id = ?",
				guest))
			.containsEntry("into_profile_id", person)
			.containsEntry("reason", "anonymous_identified");
	}

	@Test
	void twoPeopleOnOneTabletStayApartAndTheTabletBecomesShared() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String ada = "tab-ada-" + run;
		String grace = "tab-grace-" + run;
		String tablet = "tablet-" + run;
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + ada, envelope(UUID.randomUUID().toString(), "identify", ada, tablet,
					"{\"traits\":{}}", "2026-11-21T10:00:00Z"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(ada)).isEqualTo(1));
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + grace, envelope(UUID.randomUUID().toString(), "identify", grace, tablet,
					"{\"traits\":{}}", "2026-11-22T10:00:00Z"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(grace)).isEqualTo(1));
		assertThat(profileOf(grace)).isNotEqualTo(profileOf(ada));
		assertThat(profileOf(tablet)).as("the tablet stays with its first owner").isEqualTo(profileOf(ada));
		assertThat(this.jdbc.queryForObject(
				"select shared_at is not null from profile.profile_identity where workspace_id = 'demo' and kind = 'anonymous_id' and value = ?",
				Boolean.class, tablet))
			.isTrue();
		assertThat(this.jdbc.queryForList(
				"select profile_id from profile.identity_contender where workspace_id = 'demo' and value = ?",
				UUID.class, tablet))
			.containsExactly(profileOf(grace));
	}

	@Test
	void junkUserIdsIdentifyNobody() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String browser = "junk-a-" + run;
		UUID onlyJunk = UUID.randomUUID();
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + browser, envelope(UUID.randomUUID().toString(), "track", "undefined", browser,
					"{\"event\":\"Clicked " + run + "\"}", "2026-11-21T10:00:00Z"));
			send(producer, "demo:" + run, envelope(onlyJunk.toString(), "track", "null", "0",
					"{\"event\":\"Clicked " + run + "\"}", "2026-11-21T10:00:00Z"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(browser)).isEqualTo(1);
			assertThat(this.jdbc.queryForList("select reason from etl.rejected_event where raw_value like ?",
					String.class, "%" + onlyJunk + "%"))
				.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
				.startsWith("identity has no usable identifier");
		});
		assertThat(this.jdbc.queryForObject("""
				select count(*) from profile.profile_identity
				 where workspace_id = 'demo' and kind = 'user_id' and value in ('undefined', 'null')""", Long.class))
			.isZero();
	}

	@Test
	void campaignParametersBecomeTouchesThatFollowMergesAndErasures() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String user = "camp-u-" + run;
		String browser = "camp-a-" + run;
		UUID landing = UUID.randomUUID();
		UUID plain = UUID.randomUUID();
		UUID segment = UUID.randomUUID();
		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user, raw(UUID.randomUUID(), user, "track", "{\"event\":\"Signed Up\"}", "{}"));
			send(producer, "demo:" + browser, anonymous(landing, browser, "{\"event\":\"Landed\"}",
					"""
							{"page":{"url":"https://shop.example/?utm_source=Google&utm_medium=CPC&utm_campaign=winter&gclid=Cj0K"}}"""));
			send(producer, "demo:" + browser, anonymous(plain, browser, "{\"event\":\"Browsed\"}",
					"{\"page\":{\"url\":\"https://shop.example/boots\"}}"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			assertThat(eventCount(user)).isEqualTo(1);
			assertThat(eventCount(browser)).isEqualTo(2);
		});
		Map<String, Object> touch = this.jdbc.queryForMap(
				"select profile_id, source, medium, campaign, click_id_kind from profile.campaign_touch where workspace_id = 'demo' and event_id = ?",
				landing);
		assertThat(touch).containsEntry("profile_id", profileOf(browser))
			.containsEntry("source", "google")
			.containsEntry("medium", "cpc")
			.containsEntry("campaign", "winter")
			.containsEntry("click_id_kind", "gclid");
		assertThat(this.jdbc.queryForObject("select count(*) from profile.campaign_touch where event_id = ?",
				Long.class, plain))
			.isZero();

		try (KafkaProducer<String, String> producer = producer()) {
			send(producer, "demo:" + user, raw(segment, user, "track", "{\"event\":\"Opened Email\"}",
					"{\"campaign\":{\"source\":\"newsletter\",\"medium\":\"email\",\"name\":\"December\"}}"));
			send(producer, "demo:" + user, envelope(UUID.randomUUID().toString(), "identify", user, browser,
					"{\"traits\":{}}", "2026-11-23T11:00:00Z"));
		}
		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(eventCount(user)).isEqualTo(5));
		UUID person = profileOf(user);
		assertThat(this.jdbc.queryForList(
				"select source from profile.campaign_touch where workspace_id = 'demo' and profile_id = ? order by source",
				String.class, person))
			.as("the visitor's touch moved to the person with the merge")
			.containsExactly("google", "newsletter");

		// an erasure deletes the profile: its touches go with it
		this.jdbc.update("delete from profile.profile where workspace_id = 'demo' and profile_id = ?", person);
		assertThat(this.jdbc.queryForObject("select count(*) from profile.campaign_touch where event_id in (?, ?)",
				Long.class, landing, segment))
			.isZero();
	}

	private static String anonymous(UUID eventId, String anonymousId, String payload, String context) {
		return """
				{"eventId":"%s","type":"track","schemaVersion":"1-0-0","occurredAt":"2026-11-23T10:00:00Z",
				 "receivedAt":"2026-11-23T10:00:00Z","workspaceId":"demo","sourceId":"web","messageId":"%s",
				 "identity":{"anonymousId":"%s"},"context":%s,"payload":%s}""".formatted(eventId, eventId, anonymousId,
				context, payload);
	}

	private UUID profileOf(String identifier) {
		return this.jdbc.queryForObject(
				"select profile_id from profile.profile_identity where workspace_id = 'demo' and value = ?", UUID.class,
				identifier);
	}

	private long eventCount(String identifier) {
		return this.jdbc.queryForList("""
				select p.event_count from profile.profile p
				  join profile.profile_identity i using (workspace_id, profile_id)
				 where i.workspace_id = 'demo' and i.value = ?""", Long.class, identifier)
			.stream()
			.findFirst()
			.orElse(0L);
	}

	private long countOf(UUID profileId, String type, String name) {
		return this.jdbc.queryForObject("""
				select event_count from profile.profile_event_count
				 where workspace_id = 'demo' and profile_id = ? and event_type = ? and event_name = ?""", Long.class,
				profileId, type, name);
	}

	private static String envelope(String eventId, String type, String userId, String anonymousId, String payload,
			String occurredAt) {
		String identity = ((userId != null) ? "\"userId\":\"" + userId + "\"" : "")
				+ ((userId != null && anonymousId != null) ? "," : "")
				+ ((anonymousId != null) ? "\"anonymousId\":\"" + anonymousId + "\"" : "");
		return """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"%s","receivedAt":"%s",
				 "workspaceId":"demo","sourceId":"it","messageId":"%s","identity":{%s},"payload":%s}"""
			.formatted(eventId, type, occurredAt, occurredAt, eventId, identity, payload);
	}

	private static KafkaProducer<String, String> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestInfrastructure.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new StringSerializer());
	}

	private static void send(KafkaProducer<String, String> producer, String key, String value) throws Exception {
		producer.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, key, value)).get(30, TimeUnit.SECONDS);
	}

}
