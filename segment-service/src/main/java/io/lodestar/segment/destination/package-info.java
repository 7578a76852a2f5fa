/**
 * Webhook destinations: a segment's entries and exits synced to an HTTP endpoint in
 * signed batches, with retries and a delivery log.
 */
package io.lodestar.segment.destination;
