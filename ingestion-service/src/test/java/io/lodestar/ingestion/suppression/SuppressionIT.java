package io.lodestar.ingestion.suppression;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suppression list on the real database (profile-service's own migrations create it,
 * as in production) and the real broker: once an erased person's identifier is on the
 * list, the collector answers 200 and nothing of theirs reaches Kafka; other people's
 * events still do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.ingestion.bootstrap.write-key=suppression-write-key",
				"lodestar.ingestion.bootstrap.workspace-id=suppression-ws" })
class SuppressionIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SuppressionList suppressions;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	/** The suppression table is profile-service's: its migrations define it. */
	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

	@Test
	void eventsOfErasedPeopleAreDroppedAtTheCollector() throws Exception {
		String run = UUID.randomUUID().toString();
		String erased = "u-erased-" + run;
		String email = "erased." + run + "@lovelace.io";
		this.jdbc.update("""
				insert into profile.suppressed_identity (workspace_id, kind, value_sha256, request_id)
				values ('suppression-ws', 'user_id', ?, ?), ('suppression-ws', 'email_sha256', ?, ?)""",
				Identifiers.suppressionHash(IdentifierKind.USER_ID, erased), UUID.randomUUID(),
				Identifiers.suppressionHash(IdentifierKind.EMAIL_SHA256, Identifiers.emailHash(email).orElseThrow()),
				UUID.randomUUID());
		this.suppressions.refresh();

		assertThat(post("{\"userId\":\"" + erased + "\",\"event\":\"Viewed\",\"properties\":{\"run\":\"" + run + "\"}}",
				"/v1/track"))
			.isEqualTo(200);
		assertThat(post("{\"anonymousId\":\"new-device-" + run + "\",\"traits\":{\"email\":\"" + email.toUpperCase()
				+ "\",\"run\":\"" + run + "\"}}", "/v1/identify"))
			.isEqualTo(200);
		assertThat(post(
				"{\"userId\":\"u-kept-" + run + "\",\"event\":\"Viewed\",\"properties\":{\"run\":\"" + run + "\"}}",
				"/v1/track"))
			.isEqualTo(200);

		List<ConsumerRecord<String, String>> records = consume(run);
		assertThat(records).hasSize(1);
		assertThat(records.get(0).value()).contains("u-kept-" + run);
	}

	private int post(String body, String path) throws Exception {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Content-Type", "application/json")
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString("suppression-write-key:".getBytes(StandardCharsets.UTF_8)))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode();
	}

	/**
	 * Reads the events topic from the start until quiet and keeps the records of this
	 * run.
	 */
	private static List<ConsumerRecord<String, String>> consume(String run) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, "suppression-it-" + run);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.INGESTION_EVENTS));
			long quietSince = System.nanoTime();
			while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					quietSince = System.nanoTime();
					if (record.value().contains(run)) {
						found.add(record);
					}
				}
			}
		}
		return found;
	}

}
