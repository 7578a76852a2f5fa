/**
 * RFM value tiers: recency, frequency and monetary value per customer, scored in
 * quintiles, clustered with k-means (k chosen by silhouette), the clusters named from
 * their centroids.
 */
package io.lodestar.etl.rfm;
