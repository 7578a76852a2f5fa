package io.lodestar.segment.segments;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * segment-service settings, prefix {@code lodestar.segment}.
 *
 * @param recomputeCron when every saved segment is recomputed ("-" never)
 * @param publishInterval how often the membership outbox is published to Kafka
 * @param previewSample how many members a preview shows
 * @param topicReplicationFactor replication of the membership topic (declared on start, 6
 * partitions)
 * @param incrementalBatch how many changed profiles the realtime path re-evaluates at a
 * time
 */
@ConfigurationProperties("lodestar.segment")
public record SegmentProperties(@DefaultValue("0 */15 * * * *") String recomputeCron,
		@DefaultValue("500ms") Duration publishInterval, @DefaultValue("10") int previewSample,
		@DefaultValue("1") short topicReplicationFactor, @DefaultValue("5000") int incrementalBatch) {
}
