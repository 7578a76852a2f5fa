/**
 * The catalogue: items as the training job last saw them, availability and overrides set
 * through {@code /v1/recommendations/items}, and each workspace's catalogue in memory for
 * the serving filters.
 */
package io.lodestar.recommender.catalogue;
