/**
 * Cross-cutting configuration: settings, Kafka topics, problem responses.
 */
package io.lodestar.ingestion.system;
