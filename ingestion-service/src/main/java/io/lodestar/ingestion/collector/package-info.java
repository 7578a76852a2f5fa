/**
 * The Segment-compatible collector: routes, validation, enrichment, and publishing to
 * Kafka with acks=all before answering.
 */
package io.lodestar.ingestion.collector;
