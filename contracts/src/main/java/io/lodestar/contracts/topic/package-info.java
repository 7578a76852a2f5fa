/**
 * Kafka topic names and partitioning defaults.
 */
package io.lodestar.contracts.topic;
