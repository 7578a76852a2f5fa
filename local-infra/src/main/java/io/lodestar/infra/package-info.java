/**
 * The real infrastructure of the local stack and the tests: a KRaft Kafka broker and a
 * PostgreSQL server, each run as its own JVM by {@link io.lodestar.infra.launch}.
 */
package io.lodestar.infra;
