/**
 * Connector instances of a workspace: their table, the REST API, the scheduler that runs
 * due ones under a PostgreSQL advisory lock, and the Kafka sink whose acknowledgements
 * gate the watermark.
 */
package io.lodestar.ingestion.connector.management;
