package io.lodestar.segment.segments;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 * @param queryWorkMem how much memory a preview's or a recompute's query may use for each
 * hash table and sort before it spills to disk (PostgreSQL's {@code work_mem}, set for
 * that transaction only; the server's default of 4 MB spills the per-profile event counts
 * of a window over a large workspace)
 */
@ConfigurationProperties("lodestar.segment")
public record SegmentProperties(@DefaultValue("0 */15 * * * *") String recomputeCron,
		@DefaultValue("500ms") Duration publishInterval, @DefaultValue("10") int previewSample,
		@DefaultValue("1") short topicReplicationFactor, @DefaultValue("5000") int incrementalBatch,
		@DefaultValue("64MB") DataSize queryWorkMem) {

	/** PostgreSQL's smallest {@code work_mem}. */
	static final DataSize MIN_QUERY_WORK_MEM = DataSize.ofKilobytes(64);

	public SegmentProperties {
		// refused at start rather than by the server at the first preview
		if (queryWorkMem.compareTo(MIN_QUERY_WORK_MEM) < 0) {
			throw new IllegalArgumentException("lodestar.segment.query-work-mem is " + queryWorkMem.toKilobytes()
					+ "kB; PostgreSQL's work_mem is at least 64kB");
		}
	}

}
