/**
 * Per-workspace choices (promotion policy, categories that may repeat) over the service's
 * defaults: {@code /v1/recommendations/settings}.
 */
package io.lodestar.recommender.settings;
