package io.lodestar.ingestion.connector;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;

/**
 * Where a run puts what it read. Sends are asynchronous; the runner waits for Kafka to
 * acknowledge all of them before it stores the watermark and the processed files.
 */
public interface RecordSink {

	/**
	 * A pulled row for {@code cdp.connector.records}.
	 * @param record the row
	 */
	void record(ConnectorRecord record);

	/**
	 * An ordinary event for {@code cdp.ingestion.events}.
	 * @param event the event
	 */
	void event(EventEnvelope event);

	/**
	 * A row that could not be read, for {@code cdp.ingestion.events-dlt}.
	 * @param rejected the row and why
	 */
	void reject(RejectedEvent rejected);

	/** One more page (request, file) read, for the run history. */
	void page();

	/**
	 * The watermark to store once everything sent so far is acknowledged.
	 * @param watermark the kind's own text (a date, an instant, a small JSON object)
	 */
	void watermark(String watermark);

	/**
	 * A file or object imported by this run, stored with the watermark.
	 * @param file the file
	 */
	void processed(ProcessedFile file);

}
