/**
 * The platform's shared language: the event envelope, the Segment-spec message types,
 * their versioned JSON Schemas and the Kafka topic names. Spring-free on purpose.
 */
package io.lodestar.contracts;
