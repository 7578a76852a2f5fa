package io.lodestar.ingestion.collector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
import io.lodestar.contracts.topic.Topics;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance with SDKs nobody on the team wrote: the official Segment Java client (posts
 * to {@code /v1/import}) and RudderStack's Java SDK (posts gzipped batches to
 * {@code /v1/batch}), pointed at the running collector, unchanged. Their events are
 * asserted in Kafka field by field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "lodestar.ingestion.bootstrap.write-key=sdk-write-key")
class SdkConformanceIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void segmentJavaClientEventsArriveInKafkaFieldByField() throws Exception {
		String run = UUID.randomUUID().toString();
		Delivery delivery = new Delivery(2);
		com.segment.analytics.Analytics analytics = com.segment.analytics.Analytics.builder("sdk-write-key")
			.endpoint("http://127.0.0.1:" + this.port)
			.flushQueueSize(2)
			.callback(new com.segment.analytics.Callback() {
				@Override
				public void success(com.segment.analytics.messages.Message message) {
					delivery.succeeded();
				}

				@Override
				public void failure(com.segment.analytics.messages.Message message, Throwable error) {
					delivery.failed(error);
				}
			})
			.build();
		try {
			analytics.enqueue(com.segment.analytics.messages.IdentifyMessage.builder()
				.userId("seg-" + run)
				.anonymousId("anon-" + run)
				.traits(Map.of("plan", "pro", "logins", 3)));
			analytics.enqueue(com.segment.analytics.messages.TrackMessage.builder("Order Completed")
				.userId("seg-" + run)
				.properties(Map.of("revenue", 42.5, "currency", "EUR")));
			analytics.flush();
			delivery.await();
		}
		finally {
			analytics.shutdown();
		}

		assertConforms(consume(run, 2), "seg-" + run, "anon-" + run);
	}

	@Test
	void rudderStackJavaSdkGzippedBatchesArriveInKafkaFieldByField() throws Exception {
		String run = UUID.randomUUID().toString();
		Delivery delivery = new Delivery(2);
		com.rudderstack.sdk.java.analytics.RudderAnalytics analytics = com.rudderstack.sdk.java.analytics.RudderAnalytics
			.builder("sdk-write-key")
			.setDataPlaneUrl("http://127.0.0.1:" + this.port)
			.setGZIP(true)
			.flushQueueSize(2)
			.callback(new com.rudderstack.sdk.java.analytics.Callback() {
				@Override
				public void success(com.rudderstack.sdk.java.analytics.messages.Message message) {
					delivery.succeeded();
				}

				@Override
				public void failure(com.rudderstack.sdk.java.analytics.messages.Message message, Throwable error) {
					delivery.failed(error);
				}
			})
			.build();
		try {
			analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.IdentifyMessage.builder()
				.userId("rs-" + run)
				.anonymousId("anon-" + run)
				.traits(Map.of("plan", "pro", "logins", 3)));
			analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.TrackMessage.builder("Order Completed")
				.userId("rs-" + run)
				.properties(Map.of("revenue", 42.5, "currency", "EUR")));
			analytics.flush();
			delivery.await();
		}
		finally {
			analytics.shutdown();
		}

		assertConforms(consume(run, 2), "rs-" + run, "anon-" + run);
	}

	private static void assertConforms(List<EventEnvelope> events, String userId, String anonymousId) {
		Instant now = Instant.now();
		EventEnvelope identify = events.stream().filter((e) -> e.type().equals("identify")).findFirst().orElseThrow();
		assertThat(identify.workspaceId()).isEqualTo("demo");
		assertThat(identify.identity().userId()).isEqualTo(userId);
		assertThat(identify.identity().anonymousId()).isEqualTo(anonymousId);
		assertThat(identify.payload()).containsEntry("traits", Map.of("plan", "pro", "logins", 3));
		assertThat(identify.messageId()).as("the SDK's own message id is kept")
			.isNotBlank()
			.doesNotStartWith("lodestar-");
		assertThat(identify.eventId()).isEqualTo(EventEnvelope.eventIdFor("demo", identify.messageId()));
		assertThat(identify.context()).containsKey("library").containsKey("ip");
		EventEnvelope track = events.stream().filter((e) -> e.type().equals("track")).findFirst().orElseThrow();
		assertThat(track.identity().userId()).isEqualTo(userId);
		assertThat(track.payload()).containsEntry("event", "Order Completed");
		assertThat(track.payload()).containsEntry("properties", Map.of("revenue", 42.5, "currency", "EUR"));
		assertThat(track.occurredAt()).isBetween(now.minusSeconds(60), now.plusSeconds(1));
		assertThat(track.receivedAt()).isBetween(now.minusSeconds(60), now.plusSeconds(1));
	}

	private static List<EventEnvelope> consume(String run, int expected) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "sdk-it-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<EventEnvelope> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(Topics.INGESTION_EVENTS));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline && found.size() < expected) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.value().contains(run)) {
						found.add(JSON.readValue(record.value(), EventEnvelope.class));
					}
				}
			}
		}
		assertThat(found).hasSize(expected);
		return found;
	}

	/** Waits for the SDK's own delivery callbacks. */
	private static final class Delivery {

		private final CountDownLatch done;

		private final AtomicReference<Throwable> failure = new AtomicReference<>();

		Delivery(int messages) {
			this.done = new CountDownLatch(messages);
		}

		void succeeded() {
			this.done.countDown();
		}

		void failed(Throwable error) {
			this.failure.compareAndSet(null, error);
			this.done.countDown();
		}

		void await() throws InterruptedException {
			assertThat(this.done.await(30, TimeUnit.SECONDS)).as("the SDK reported delivery").isTrue();
			assertThat(this.failure.get()).as("the SDK reported no failure").isNull();
		}

	}

}
