/**
 * Cross-cutting configuration: settings and the shared Spark session.
 */
package io.lodestar.etl.system;
