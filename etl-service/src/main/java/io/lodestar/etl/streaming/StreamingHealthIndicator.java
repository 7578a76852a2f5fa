package io.lodestar.etl.streaming;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code streaming}: DOWN when either streaming query (events, connector records) is not
 * running, so readiness fails if one died.
 */
@Component("streaming")
class StreamingHealthIndicator implements HealthIndicator {

	private final StreamingProfileJob job;

	private final ConnectorRecordJob connectorRecords;

	StreamingHealthIndicator(StreamingProfileJob job, ConnectorRecordJob connectorRecords) {
		this.job = job;
		this.connectorRecords = connectorRecords;
	}

	@Override
	public Health health() {
		String failure = this.job.failure();
		String connectorFailure = this.connectorRecords.failure();
		if (failure == null && connectorFailure == null) {
			return Health.up()
				.withDetail("query", StreamingProfileJob.QUERY_NAME)
				.withDetail("connectorQuery", ConnectorRecordJob.QUERY_NAME)
				.build();
		}
		Health.Builder down = Health.down().withDetail("query", StreamingProfileJob.QUERY_NAME);
		if (failure != null) {
			down.withDetail("state", failure);
		}
		if (connectorFailure != null) {
			down.withDetail("connectorQuery", ConnectorRecordJob.QUERY_NAME)
				.withDetail("connectorState", connectorFailure);
		}
		return down.build();
	}

}
