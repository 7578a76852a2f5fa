package io.lodestar.etl.streaming;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code streaming}: DOWN when the streaming job is not running, so readiness fails if it
 * died.
 */
@Component("streaming")
class StreamingHealthIndicator implements HealthIndicator {

	private final StreamingProfileJob job;

	StreamingHealthIndicator(StreamingProfileJob job) {
		this.job = job;
	}

	@Override
	public Health health() {
		String failure = this.job.failure();
		return (failure == null) ? Health.up().withDetail("query", StreamingProfileJob.QUERY_NAME).build()
				: Health.down()
					.withDetail("query", StreamingProfileJob.QUERY_NAME)
					.withDetail("state", failure)
					.build();
	}

}
