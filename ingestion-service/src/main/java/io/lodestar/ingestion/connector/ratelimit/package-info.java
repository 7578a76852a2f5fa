/**
 * Rate limits of sources: {@code Retry-After}, exponential backoff with full jitter and
 * daily quotas that pause a connector until their reset, on a controllable clock.
 */
package io.lodestar.ingestion.connector.ratelimit;
