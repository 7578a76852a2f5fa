package io.lodestar.contracts.topic;

/**
 * Kafka topic names, {@code cdp.<owner>.<stream>}. Every dead-letter topic is named here
 * explicitly ({@code <topic>-dlt}) and has as many partitions as its source.
 */
public final class Topics {

	/**
	 * Collector and connector events as
	 * {@link io.lodestar.contracts.event.EventEnvelope}.
	 */
	public static final String INGESTION_EVENTS = "cdp.ingestion.events";

	/**
	 * Messages the collector could not accept, as
	 * {@link io.lodestar.contracts.event.RejectedEvent}.
	 */
	public static final String INGESTION_EVENTS_DLT = dlt(INGESTION_EVENTS);

	/** Rows pulled by connectors (ad spend, orders, customers …). */
	public static final String CONNECTOR_RECORDS = "cdp.connector.records";

	public static final String CONNECTOR_RECORDS_DLT = dlt(CONNECTOR_RECORDS);

	/** Profile changes published by the pipeline for segments and other consumers. */
	public static final String PROFILE_CHANGES = "cdp.profile.changes";

	/** Segment entries and exits. */
	public static final String SEGMENT_MEMBERSHIP = "cdp.segment.membership";

	/** Partitions of the ingestion topic and its dead-letter topic in the local stack. */
	public static final int DEFAULT_PARTITIONS = 6;

	private Topics() {
	}

	/**
	 * The dead-letter topic of a topic.
	 * @param topic the source topic
	 * @return {@code topic + "-dlt"}
	 */
	public static String dlt(String topic) {
		return topic + "-dlt";
	}

}
