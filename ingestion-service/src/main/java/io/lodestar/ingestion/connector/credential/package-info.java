/**
 * Connector credentials at rest: AES-GCM encrypted, never logged, never returned.
 */
package io.lodestar.ingestion.connector.credential;
