/**
 * The suppression list of erased people (profile-service's
 * {@code profile.suppressed_identity}, a documented contract): the collector drops events
 * that carry any of their identifiers.
 */
package io.lodestar.ingestion.suppression;
