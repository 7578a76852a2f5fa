/**
 * etl-service: the Spark jobs that turn raw events into clean, deduplicated profiles.
 */
package io.lodestar.etl;
