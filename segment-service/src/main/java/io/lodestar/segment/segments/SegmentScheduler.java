package io.lodestar.segment.segments;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.web.Workspace;

/**
 * Recomputes every saved segment on {@code lodestar.segment.recompute-cron}, referenced
 * segments before those that refer to them; one failure does not stop the others.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(SegmentProperties.class)
class SegmentScheduler {

	private static final Logger logger = LoggerFactory.getLogger(SegmentScheduler.class);

	private final SegmentService segments;

	SegmentScheduler(SegmentService segments) {
		this.segments = segments;
	}

	@Scheduled(cron = "${lodestar.segment.recompute-cron:0 */15 * * * *}")
	void recomputeAll() {
		for (Map.Entry<String, UUID> segment : this.segments.recomputeOrder()) {
			try {
				SegmentViews.Recomputed result = this.segments.recompute(new Workspace(segment.getKey()),
						segment.getValue());
				logger.info("Segment {} recomputed: size {}, +{} -{}, {} ms", segment.getValue(), result.size(),
						result.entered(), result.exited(), result.durationMs());
			}
			catch (RuntimeException ex) {
				logger.warn("Segment {} not recomputed ({})", segment.getValue(), ex.getClass().getSimpleName());
			}
		}
	}

}
