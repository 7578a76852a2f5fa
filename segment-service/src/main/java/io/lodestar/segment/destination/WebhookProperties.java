package io.lodestar.segment.destination;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings, prefix {@code lodestar.segment.webhooks}.
 *
 * @param allowPrivateTargets whether endpoints may be http and on loopback or private
 * addresses (development and tests only: otherwise a destination could reach internal
 * services)
 * @param dispatchInterval how often due destinations are served
 * @param timeout how long an endpoint may take to answer a batch
 * @param maxBackoff the longest wait between retries of a failing endpoint
 */
@ConfigurationProperties("lodestar.segment.webhooks")
public record WebhookProperties(@DefaultValue("false") boolean allowPrivateTargets,
		@DefaultValue("1s") Duration dispatchInterval, @DefaultValue("10s") Duration timeout,
		@DefaultValue("1h") Duration maxBackoff) {
}
