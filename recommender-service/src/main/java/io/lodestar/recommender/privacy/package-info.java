/**
 * Erasure: rows of profiles that no longer exist in {@code profile.profile} leave this
 * schema and the models in memory.
 */
package io.lodestar.recommender.privacy;
