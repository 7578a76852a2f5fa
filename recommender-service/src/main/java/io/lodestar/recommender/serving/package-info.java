/**
 * Serving: top-N for a profile (by id or any identifier, following merges), similar
 * items, popularity fallbacks, exclusions and filters.
 */
package io.lodestar.recommender.serving;
