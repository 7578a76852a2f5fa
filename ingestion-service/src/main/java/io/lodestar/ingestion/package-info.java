/**
 * ingestion-service: the Segment-compatible collector that writes every accepted event to
 * Kafka.
 */
package io.lodestar.ingestion;
