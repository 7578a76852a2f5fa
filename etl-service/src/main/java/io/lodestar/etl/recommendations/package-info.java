/**
 * The recommendation training job: implicit-feedback interactions (views, carts,
 * purchases, shown-and-ignored impressions) from the lake, Spark MLlib ALS, a time-based
 * hold-out against popularity and item-kNN baselines, and the model version written to
 * recommender-service's tables.
 */
package io.lodestar.etl.recommendations;
