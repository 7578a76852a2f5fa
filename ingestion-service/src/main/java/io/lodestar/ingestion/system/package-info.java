/**
 * Cross-cutting configuration: settings and Kafka topics (problem responses come from
 * web-support).
 */
package io.lodestar.ingestion.system;
