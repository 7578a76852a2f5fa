package io.lodestar.ingestion.collector;

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
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector on a real broker and database: what a client posts over HTTP is in Kafka,
 * field by field, once the client has its 200; refused messages are in the dead-letter
 * topic and never in the events topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "lodestar.ingestion.bootstrap.write-key=it-write-key")
class CollectorIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void acceptedEventsAreInKafkaFieldByField() throws Exception {
		String run = UUID.randomUUID().toString();
		assertThat(post("/v1/identify", "it-write-key", """
				{"userId":"u-%s","anonymousId":"a-%s","traits":{"plan":"pro"},"messageId":"id-%s",
				 "context":{"ip":"198.51.100.4"}}""".formatted(run, run, run)).statusCode()).isEqualTo(200);
		assertThat(post("/v1/track", "it-write-key", """
				{"userId":"u-%s","event":"Order Completed","properties":{"revenue":9.5},"messageId":"tr-%s",
				 "originalTimestamp":"2026-11-20T10:00:00Z","sentAt":"2026-11-20T10:00:02Z"}""".formatted(run, run))
			.statusCode()).isEqualTo(200);

		List<EventEnvelope> events = consume(Topics.INGESTION_EVENTS, run, 2).stream()
			.map((record) -> JSON.readValue(record.value(), EventEnvelope.class))
			.toList();

		EventEnvelope identify = events.stream().filter((e) -> e.type().equals("identify")).findFirst().orElseThrow();
		assertThat(identify.eventId()).isEqualTo(EventEnvelope.eventIdFor("demo", "id-" + run));
		assertThat(identify.workspaceId()).isEqualTo("demo");
		assertThat(identify.sourceId()).isEqualTo("default");
		assertThat(identify.identity().userId()).isEqualTo("u-" + run);
		assertThat(identify.identity().anonymousId()).isEqualTo("a-" + run);
		assertThat(identify.payload()).containsEntry("traits", java.util.Map.of("plan", "pro"));
		assertThat(identify.context()).containsEntry("ip", "198.51.100.4");
		EventEnvelope track = events.stream().filter((e) -> e.type().equals("track")).findFirst().orElseThrow();
		assertThat(track.payload()).containsEntry("event", "Order Completed");
		assertThat(track.context()).containsKey("ip");
		assertThat(track.occurredAt()).isEqualTo(track.receivedAt().minusSeconds(2));
		assertThat(track.schemaVersion()).isEqualTo("1-0-0");
	}

	@Test
	void refusedMessagesGoToTheDeadLetterTopicOnly() throws Exception {
		String run = UUID.randomUUID().toString();
		HttpResponse<String> response = post("/v1/track", "it-write-key",
				"{\"anonymousId\":\"a-" + run + "\",\"properties\":{\"run\":\"" + run + "\"}}");

		assertThat(response.statusCode()).isEqualTo(400);
		List<ConsumerRecord<String, String>> dead = consume(Topics.INGESTION_EVENTS_DLT, run, 1);
		RejectedEvent rejected = JSON.readValue(dead.get(0).value(), RejectedEvent.class);
		assertThat(rejected.reasons()).containsExactly("event is required for track");
		assertThat(rejected.route()).isEqualTo("/v1/track");
		assertThat(consume(Topics.INGESTION_EVENTS, run, 0)).isEmpty();
	}

	@Test
	void unknownWriteKeyIsRefusedAndNothingReachesKafka() throws Exception {
		String run = UUID.randomUUID().toString();
		HttpResponse<String> response = post("/v1/track", "not-a-key",
				"{\"userId\":\"u-" + run + "\",\"event\":\"x\"}");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(consume(Topics.INGESTION_EVENTS, run, 0)).isEmpty();
	}

	private HttpResponse<String> post(String path, String writeKey, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Reads the topic from the start and keeps the records that mention the run id. */
	private static List<ConsumerRecord<String, String>> consume(String topic, String run, int expected) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "collector-it-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds((expected == 0) ? 5 : 30).toNanos();
			while (System.nanoTime() < deadline && (expected == 0 || found.size() < expected)) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.value().contains(run)) {
						found.add(record);
					}
				}
			}
		}
		assertThat(found).hasSize(expected);
		return found;
	}

}
