/**
 * The event envelope every message on {@code cdp.ingestion.events} carries, and its
 * types.
 */
package io.lodestar.contracts.event;
