package io.lodestar.ingestion.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.system.IngestionProperties;

/**
 * Writes accepted events to {@code cdp.ingestion.events} (acks=all, idempotent producer)
 * and returns only once Kafka acknowledged every one of them; rejected messages go to the
 * dead-letter topic.
 */
@Component
class EventPublisher {

	private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

	private final KafkaTemplate<String, byte[]> kafka;

	private final JsonMapper json;

	private final IngestionProperties properties;

	EventPublisher(KafkaTemplate<String, byte[]> kafka, JsonMapper json, IngestionProperties properties) {
		this.kafka = kafka;
		this.json = json;
		this.properties = properties;
	}

	/**
	 * Publishes and waits for the acknowledgements.
	 * @param events the events
	 * @throws CollectorException 503 when Kafka did not acknowledge all of them in time
	 */
	void publish(List<EventEnvelope> events) {
		List<CompletableFuture<?>> acks = new ArrayList<>(events.size());
		try {
			for (EventEnvelope event : events) {
				acks.add(this.kafka.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, event.partitionKey(),
						this.json.writeValueAsBytes(event))));
			}
			CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
				.get(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw CollectorException.unavailable(5);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			log.warn("Kafka did not acknowledge {} events: {}", events.size(), rootMessage(ex));
			throw CollectorException.unavailable(5);
		}
	}

	/**
	 * Publishes refused messages with their reasons; a failure here is logged, never
	 * hides the client's error.
	 * @param rejected the refused messages
	 */
	void publishRejected(List<RejectedEvent> rejected) {
		for (RejectedEvent event : rejected) {
			try {
				this.kafka.send(new ProducerRecord<>(Topics.INGESTION_EVENTS_DLT, event.workspaceId(),
						this.json.writeValueAsBytes(event)));
			}
			catch (RuntimeException ex) {
				log.warn("Could not dead-letter a rejected message of workspace {}: {}", event.workspaceId(),
						rootMessage(ex));
			}
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
