/**
 * Saved segments: preview, definitions with rule versions, full recompute of membership
 * as a set difference, size history, the membership outbox published to Kafka, members,
 * export.
 */
package io.lodestar.segment.segments;
