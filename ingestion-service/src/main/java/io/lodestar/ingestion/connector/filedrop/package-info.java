/**
 * File drops: CSV, JSON and NDJSON files read into events for
 * {@code cdp.ingestion.events}.
 */
package io.lodestar.ingestion.connector.filedrop;
