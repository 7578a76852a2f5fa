package io.lodestar.ingestion.connector.management;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.connector.ProcessedFile;
import io.lodestar.ingestion.connector.RecordSink;

/**
 * A run's sink: sends asynchronously (acks=all, idempotent producer), counts what Kafka
 * acknowledged, and remembers the first failure. {@link #awaitAcknowledged(Duration)}
 * returns only when every send was acknowledged; the runner stores the watermark after
 * that and never before.
 */
final class KafkaRecordSink implements RecordSink {

	private final Producer<String, byte[]> kafka;

	private final JsonMapper json;

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private final List<ProcessedFile> processed = new ArrayList<>();

	private final AtomicLong completed = new AtomicLong();

	private long sent;

	private long rows;

	private long rejected;

	private int pages;

	private String watermark;

	KafkaRecordSink(Producer<String, byte[]> kafka, JsonMapper json) {
		this.kafka = kafka;
		this.json = json;
	}

	@Override
	public void record(ConnectorRecord record) {
		send(Topics.CONNECTOR_RECORDS, record.partitionKey(), this.json.writeValueAsBytes(record));
		this.rows++;
	}

	@Override
	public void event(EventEnvelope event) {
		send(Topics.INGESTION_EVENTS, event.partitionKey(), this.json.writeValueAsBytes(event));
		this.rows++;
	}

	@Override
	public void reject(RejectedEvent rejected) {
		send(Topics.INGESTION_EVENTS_DLT, rejected.workspaceId(), this.json.writeValueAsBytes(rejected));
		this.rejected++;
	}

	@Override
	public void page() {
		this.pages++;
	}

	@Override
	public void watermark(String watermark) {
		this.watermark = watermark;
	}

	@Override
	public void processed(ProcessedFile file) {
		this.processed.add(file);
	}

	private void send(String topic, String key, byte[] value) {
		Throwable failed = this.failure.get();
		if (failed != null) {
			throw new KafkaUnavailableException("Kafka refused an earlier row of this run", failed);
		}
		this.sent++;
		this.kafka.send(new ProducerRecord<>(topic, key, value), (metadata, ex) -> {
			if (ex != null) {
				this.failure.compareAndSet(null, ex);
			}
			this.completed.incrementAndGet();
		});
	}

	/**
	 * Flushes and waits until Kafka answered every send.
	 * @param timeout how long to wait
	 * @throws KafkaUnavailableException if a send failed or the answers did not come in
	 * time
	 * @throws InterruptedException if interrupted
	 */
	void awaitAcknowledged(Duration timeout) throws InterruptedException {
		this.kafka.flush();
		long deadline = System.nanoTime() + timeout.toNanos();
		// flush() returns once every batch completed; the callbacks may trail it a little
		while (this.completed.get() < this.sent) {
			if (System.nanoTime() - deadline > 0) {
				throw new KafkaUnavailableException(
						"Kafka did not acknowledge " + (this.sent - this.completed.get()) + " rows within " + timeout,
						new TimeoutException());
			}
			Thread.sleep(5);
		}
		Throwable failed = this.failure.get();
		if (failed != null) {
			throw new KafkaUnavailableException("Kafka refused rows of this run", failed);
		}
	}

	long rows() {
		return this.rows;
	}

	long rejected() {
		return this.rejected;
	}

	int pages() {
		return this.pages;
	}

	String watermark() {
		return this.watermark;
	}

	List<ProcessedFile> processedFiles() {
		return List.copyOf(this.processed);
	}

	/** Kafka did not take a run's rows: the run fails and its watermark stays. */
	static final class KafkaUnavailableException extends RuntimeException {

		KafkaUnavailableException(String message, Throwable cause) {
			super(message + ": " + rootMessage(cause), cause);
		}

		private static String rootMessage(Throwable ex) {
			Throwable root = ex;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			return root.getClass().getSimpleName() + ((root.getMessage() != null) ? " " + root.getMessage() : "");
		}

	}

}
