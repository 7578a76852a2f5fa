/**
 * The streaming job: events from Kafka to profiles in PostgreSQL, exactly once in effect.
 */
package io.lodestar.etl.streaming;
