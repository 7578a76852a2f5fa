/**
 * Mixpanel raw export (NDJSON) to track events, deduplicated on event, distinct id, time
 * and insert id.
 */
package io.lodestar.ingestion.connector.mixpanel;
