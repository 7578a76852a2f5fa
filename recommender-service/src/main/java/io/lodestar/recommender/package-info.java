/**
 * recommender-service: product recommendations per profile, from ALS models trained by
 * the pipeline. Training, evaluation and serving arrive with the recommender issue.
 */
package io.lodestar.recommender;
