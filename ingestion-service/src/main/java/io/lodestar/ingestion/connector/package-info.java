/**
 * Pull connectors: read second- and third-party sources incrementally and publish their
 * rows on {@code cdp.connector.records} (ordinary events on
 * {@code cdp.ingestion.events}). One sub-package per concern or source.
 */
package io.lodestar.ingestion.connector;
