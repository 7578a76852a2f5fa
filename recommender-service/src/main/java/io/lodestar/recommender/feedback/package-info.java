/**
 * The feedback loop: every answer logged with its items and positions, and impressions,
 * clicks and purchases (collector events in {@code profile.profile_event}) counted per
 * model version.
 */
package io.lodestar.recommender.feedback;
