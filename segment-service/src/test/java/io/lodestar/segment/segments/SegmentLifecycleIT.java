package io.lodestar.segment.segments;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A saved segment's life on the real database and broker: preview, save, recompute,
 * members, size history, entries and exits on Kafka, a new rule version, references
 * without cycles.
 */
@SpringBootTest(properties = { "lodestar.segment.recompute-cron=-", "lodestar.segment.incremental-interval=1h" })
@AutoConfigureMockMvc
class SegmentLifecycleIT {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	IncrementalMembership incremental;

	private final String workspace = "life-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

	@Test
	void aSegmentIsPreviewedSavedRecomputedAndPublished() throws Exception {
		UUID pro1 = profile("{\"plan\":\"pro\",\"country\":\"PT\"}");
		UUID pro2 = profile("{\"plan\":\"pro\",\"country\":\"UK\"}");
		UUID free = profile("{\"plan\":\"free\",\"country\":\"PT\"}");
		String pros = "{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}";

		call(post("/v1/segments/preview"), "{\"rule\":" + pros + "}").andExpect(status().isOk())
			.andExpect(jsonPath("$.size").value(2))
			.andExpect(jsonPath("$.sample.length()").value(2))
			.andExpect(jsonPath("$.sample[*].traits.plan")
				.value(org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("pro"))));
		// nobody matches: size 0 and an empty sample, not one empty member
		call(post("/v1/segments/preview"),
				"{\"rule\":{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"none\"}}")
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.size").value(0))
			.andExpect(jsonPath("$.sample.length()").value(0));

		String created = call(post("/v1/segments"),
				"{\"name\":\"Pro plan\",\"description\":\"paying\",\"rule\":" + pros + "}")
			.andExpect(status().isCreated())
			.andExpect(header().exists("Location"))
			.andExpect(jsonPath("$.version").value(1))
			.andExpect(jsonPath("$.size").value(0))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(created, "$.segmentId");

		call(post("/v1/segments/" + id + "/recompute"), "").andExpect(status().isOk())
			.andExpect(jsonPath("$.size").value(2))
			.andExpect(jsonPath("$.entered").value(2))
			.andExpect(jsonPath("$.exited").value(0));
		this.mvc
			.perform(get("/v1/segments/{id}/members", id).param("limit", "1").header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.members.length()").value(1))
			.andExpect(jsonPath("$.nextCursor").isString());

		// the export: members who granted marketing consent, unless asked otherwise
		this.jdbc.update("""
				insert into profile.profile_consent (workspace_id, profile_id, purpose, granted, source, recorded_at)
				values (?, ?, 'marketing', true, 'test', now()), (?, ?, 'marketing', false, 'test', now())""",
				this.workspace, pro1, this.workspace, pro2);
		assertThat(export(id, false)).startsWith("profileId,userId,email,enteredAt\r\n")
			.contains(pro1.toString())
			.doesNotContain(pro2.toString());
		assertThat(export(id, true)).contains(pro1.toString()).contains(pro2.toString());

		// the rule changes: a new version; the UK member exits, nobody enters
		String ptPros = "{\"type\":\"and\",\"conditions\":[" + pros
				+ ",{\"type\":\"trait\",\"trait\":\"country\",\"op\":\"eq\",\"value\":\"PT\"}]}";
		call(put("/v1/segments/" + id), "{\"name\":\"Pro plan\",\"rule\":" + ptPros + "}").andExpect(status().isOk())
			.andExpect(jsonPath("$.version").value(2));
		call(post("/v1/segments/" + id + "/recompute"), "").andExpect(jsonPath("$.size").value(1))
			.andExpect(jsonPath("$.exited").value(1))
			.andExpect(jsonPath("$.entered").value(0));
		this.mvc.perform(get("/v1/segments/{id}/history", id).header(Workspace.HEADER, this.workspace))
			.andExpect(jsonPath("$.length()").value(2))
			.andExpect(jsonPath("$[0].size").value(1))
			.andExpect(jsonPath("$[0].version").value(2))
			.andExpect(jsonPath("$[1].entered").value(2));

		// every entry and exit reaches Kafka
		List<String> changes = consume(id, 3);
		assertThat(changes).hasSize(3);
		assertThat(changes).filteredOn((c) -> c.contains("\"entered\""))
			.hasSize(2)
			.anySatisfy((c) -> assertThat(c).contains(pro1.toString()))
			.anySatisfy((c) -> assertThat(c).contains(pro2.toString()));
		assertThat(changes).filteredOn((c) -> c.contains("\"exited\""))
			.singleElement()
			.satisfies((c) -> assertThat(c).contains(pro2.toString()).contains("\"ruleVersion\":2"));
		assertThat(changes).noneMatch((c) -> c.contains(free.toString()));

		// the member's profile is erased: the sweep makes it exit
		this.jdbc.update("delete from profile.profile where workspace_id = ? and profile_id = ?", this.workspace, pro1);
		this.incremental.removeOrphans();
		assertThat(this.jdbc.queryForObject("select count(*) from segment.membership where segment_id = ?::uuid",
				Long.class, id))
			.isZero();
	}

	@Test
	void segmentsReferToSegmentsWithoutCycles() throws Exception {
		profile("{\"plan\":\"pro\"}");
		String a = JsonPath.read(call(post("/v1/segments"),
				"{\"name\":\"A\",\"rule\":{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"exists\"}}")
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.segmentId");
		String b = JsonPath.read(call(post("/v1/segments"),
				"{\"name\":\"B\",\"rule\":{\"type\":\"segment\",\"segmentId\":\"" + a + "\"}}")
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.segmentId");
		call(post("/v1/segments/" + a + "/recompute"), "").andExpect(jsonPath("$.size").value(1));
		call(post("/v1/segments/" + b + "/recompute"), "").andExpect(jsonPath("$.size").value(1));

		// A may not refer to B: B refers to A
		call(put("/v1/segments/" + a), "{\"name\":\"A\",\"rule\":{\"type\":\"segment\",\"segmentId\":\"" + b + "\"}}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].pointer").value("/rule"));
		// A cannot be deleted while B refers to it
		this.mvc.perform(delete("/v1/segments/{id}", a).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/segment-in-use"));
		this.mvc.perform(delete("/v1/segments/{id}", b).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNoContent());
		this.mvc.perform(get("/v1/segments/{id}", b).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isNotFound());
		// another workspace cannot see or refer to A
		this.mvc.perform(get("/v1/segments/{id}", a).header(Workspace.HEADER, "other-" + this.workspace))
			.andExpect(status().isNotFound());
	}

	@Test
	void badRulesAre400sListingEveryProblem() throws Exception {
		call(post("/v1/segments/preview"), """
				{"rule":{"type":"and","conditions":[{"type":"trait","trait":"age","op":"gt","value":"old"},
				 {"type":"event","event":"x","count":{"op":"gte","value":-1}}]}}""").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-rule"))
			.andExpect(jsonPath("$.errors[0].pointer").value("/rule/conditions/0/value"))
			.andExpect(jsonPath("$.errors[1].pointer").value("/rule/conditions/1/count/value"));
		call(post("/v1/segments/preview"), "{\"rule\":{\"type\":\"profiles\",\"profileIds\":[\"not-an-id\"]}}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].pointer").value("/rule/profileIds/0"));
		call(post("/v1/segments/preview"), "{\"rule\":{\"type\":\"profiles\",\"profileIds\":[]}}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].pointer").value("/rule/profileIds"));
		call(post("/v1/segments"), "{\"name\":\"\",\"rule\":{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"exists\"}}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].pointer").value("/name"));
		call(post("/v1/segments"),
				"{\"name\":\"Twice\",\"rule\":{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"exists\"}}")
			.andExpect(status().isCreated());
		call(post("/v1/segments"),
				"{\"name\":\"Twice\",\"rule\":{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"exists\"}}")
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/segment-name-taken"));
		call(post("/v1/segments/preview"), "{\"rule\":").andExpect(status().isBadRequest());
		call(post("/v1/segments/" + UUID.randomUUID() + "/recompute"), "").andExpect(status().isNotFound());
	}

	private String export(String id, boolean ignoreConsent) throws Exception {
		var started = this.mvc
			.perform(get("/v1/segments/{id}/export", id).param("ignoreConsent", Boolean.toString(ignoreConsent))
				.header(Workspace.HEADER, this.workspace))
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.request().asyncStarted())
			.andReturn();
		return this.mvc
			.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(started))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private ResultActions call(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
			String body) throws Exception {
		return this.mvc.perform(
				request.header(Workspace.HEADER, this.workspace).contentType(MediaType.APPLICATION_JSON).content(body));
	}

	private UUID profile(String traits) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, traits, first_seen_at, last_seen_at, event_count)
				values (?, ?, ?::jsonb, ?, ?, 1)""", this.workspace, id, traits, Timestamp.from(Instant.now()),
				Timestamp.from(Instant.now()));
		return id;
	}

	/**
	 * The membership topic from the start, until the expected changes of this segment
	 * arrived.
	 */
	private static List<String> consume(String segmentId, int expected) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, "segment-it-" + UUID.randomUUID());
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<String> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.SEGMENT_MEMBERSHIP));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (found.size() < expected && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.value().contains(segmentId)) {
						found.add(record.value());
					}
				}
			}
			// and nothing more arrives
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(2))) {
				if (record.value().contains(segmentId)) {
					found.add(record.value());
				}
			}
		}
		return found;
	}

}
