/**
 * The one infrastructure fixture of every {@code *IT}: a real PostgreSQL and a real Kafka
 * broker, started once per test JVM.
 */
package io.lodestar.testsupport;
