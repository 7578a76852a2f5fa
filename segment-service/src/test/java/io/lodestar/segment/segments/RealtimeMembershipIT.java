package io.lodestar.segment.segments;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Realtime membership: once the pipeline applies an event that makes a profile qualify
 * (as etl-service writes it: the timeline row and the profile's updated_at in one
 * transaction), the profile is a member and its entry is on Kafka within 5 seconds —
 * without a recompute; a change that disqualifies it makes it exit the same way.
 */
@SpringBootTest(properties = { "lodestar.segment.recompute-cron=-",
		// pages far smaller than the changes below, so the window is read in many
		"lodestar.segment.incremental-batch=10" })
@AutoConfigureMockMvc
class RealtimeMembershipIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "realtime-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

	@Test
	void aQualifyingEventMakesAMemberAndAKafkaEntryWithinFiveSeconds() throws Exception {
		UUID profile = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, traits, first_seen_at, last_seen_at, event_count)
				values (?, ?, '{"plan":"pro"}'::jsonb, now(), now(), 1)""", this.workspace, profile);
		String segment = emptySegment("""
				{"name":"Big spenders","rule":{"type":"event","event":"Order Completed",
				 "aggregate":{"fn":"sum","property":"revenue","op":"gte","value":100}}}""");

		try (KafkaConsumer<String, String> consumer = consumer()) {
			// the pipeline applies an order of 150
			Instant applied = Instant.now();
			this.jdbc.update(
					"""
							insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
							values (?, ?, ?, 'track', 'Order Completed', ?, '{"revenue":150}'::jsonb)""",
					this.workspace, UUID.randomUUID(), profile, Timestamp.from(applied));
			this.jdbc.update("update profile.profile set event_count = event_count + 1, updated_at = now()"
					+ " where workspace_id = ? and profile_id = ?", this.workspace, profile);

			String entry = await(consumer, segment, "entered");
			Duration latency = Duration.between(applied, Instant.now());
			assertThat(entry).contains(profile.toString());
			assertThat(latency).isLessThan(Duration.ofSeconds(5));
			assertThat(members(segment)).isEqualTo(1);

			// the order is refunded (the pipeline removes its effect): the profile exits
			this.jdbc.update("update profile.profile_event set properties = '{\"revenue\":0}'::jsonb"
					+ " where workspace_id = ? and profile_id = ?", this.workspace, profile);
			this.jdbc.update("update profile.profile set updated_at = now() where workspace_id = ? and profile_id = ?",
					this.workspace, profile);
			assertThat(await(consumer, segment, "exited")).contains(profile.toString());
			assertThat(members(segment)).isZero();
		}
	}

	@Test
	void moreChangesAtOneInstantThanAPageHoldAllReachTheSegment() throws Exception {
		String segment = emptySegment("""
				{"name":"VIPs","rule":{"type":"trait","trait":"plan","op":"eq","value":"vip"}}""");

		// one chunk of the pipeline upgrades 35 people: one transaction, one now() for
		// all
		Instant applied = Instant.now();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, traits, first_seen_at, last_seen_at, event_count)
				select ?, gen_random_uuid(), '{"plan":"vip"}'::jsonb, now(), now(), 1 from generate_series(1, 35)""",
				this.workspace);
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (members(segment) < 35 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(members(segment)).isEqualTo(35);
		assertThat(Duration.between(applied, Instant.now())).isLessThan(Duration.ofSeconds(5));
	}

	/** A saved segment, recomputed: nobody qualifies yet. */
	private String emptySegment(String definition) throws Exception {
		String created = this.mvc
			.perform(post("/v1/segments").header(Workspace.HEADER, this.workspace)
				.contentType(MediaType.APPLICATION_JSON)
				.content(definition))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String segment = JsonPath.read(created, "$.segmentId");
		this.mvc.perform(post("/v1/segments/{id}/recompute", segment).header(Workspace.HEADER, this.workspace));
		assertThat(members(segment)).isZero();
		return segment;
	}

	private long members(String segment) {
		return this.jdbc.queryForObject("select count(*) from segment.membership where segment_id = ?::uuid",
				Long.class, segment);
	}

	private static String await(KafkaConsumer<String, String> consumer, String segment, String change) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
				if (record.value().contains(segment) && record.value().contains("\"" + change + "\"")) {
					return record.value();
				}
			}
		}
		throw new AssertionError("no '" + change + "' on " + Topics.SEGMENT_MEMBERSHIP + " within 10 s");
	}

	private static KafkaConsumer<String, String> consumer() {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, "realtime-it-" + UUID.randomUUID());
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer());
		consumer.subscribe(List.of(Topics.SEGMENT_MEMBERSHIP));
		// join the group and take the partitions before anything is published
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
			consumer.poll(Duration.ofMillis(200));
		}
		return consumer;
	}

}
