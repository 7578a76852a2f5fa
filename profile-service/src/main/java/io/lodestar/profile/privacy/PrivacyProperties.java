package io.lodestar.profile.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Privacy job settings, prefix {@code lodestar.profile.privacy}.
 *
 * @param pollInterval how often the worker looks for due requests
 * @param maxAttempts attempts before a request is marked failed
 * @param retryBackoff the wait after a failed attempt, doubled each time
 * @param lease how long a running attempt holds its request before another worker may
 * take it over (a worker that died mid-way)
 * @param exportRetention how long an access export is kept for download
 * @param lakeSettle how long after deleting a person from PostgreSQL the lake is erased a
 * second time (longer than one streaming micro-batch)
 */
@ConfigurationProperties("lodestar.profile.privacy")
public record PrivacyProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue("5") int maxAttempts,
		@DefaultValue("5s") Duration retryBackoff, @DefaultValue("5m") Duration lease,
		@DefaultValue("7d") Duration exportRetention, @DefaultValue("5s") Duration lakeSettle) {
}
