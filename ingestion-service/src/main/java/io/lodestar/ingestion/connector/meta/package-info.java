/**
 * Meta Marketing API insights, campaign level, daily: string metrics to numbers, one
 * purchase counted once, throttling error codes to waits.
 */
package io.lodestar.ingestion.connector.meta;
