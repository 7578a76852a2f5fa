package io.lodestar.ingestion.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ingestion-service settings, prefix {@code lodestar.ingestion}.
 *
 * @param bootstrap a write key created on start (local stack, first deployment)
 * @param limits request and message size limits
 * @param topics how the service's topics are declared
 * @param sendTimeout how long a request waits for Kafka's acknowledgement before a 503
 * @param rateLimit the per-workspace message rate
 */
@ConfigurationProperties("lodestar.ingestion")
public record IngestionProperties(Bootstrap bootstrap, Limits limits, Topics topics, Duration sendTimeout,
		RateLimit rateLimit) {

	/**
	 * @param messagesPerSecond average messages a second per workspace (0: unlimited)
	 * @param burst the most messages a workspace may send at once
	 */
	public record RateLimit(double messagesPerSecond, double burst) {
	}

	/**
	 * @param writeKey the key (blank: none is created)
	 * @param workspaceId its workspace
	 * @param sourceId its source
	 */
	public record Bootstrap(String writeKey, String workspaceId, String sourceId) {
	}

	/**
	 * @param maxMessageBytes the largest message
	 * @param maxRequestBytes the largest request body (after decompression)
	 * @param maxBatchMessages the most messages in a batch
	 */
	public record Limits(int maxMessageBytes, int maxRequestBytes, int maxBatchMessages) {
	}

	/**
	 * @param partitions partitions of the events topic and its dead-letter topic
	 * @param replicationFactor their replication factor
	 */
	public record Topics(int partitions, short replicationFactor) {
	}

}
