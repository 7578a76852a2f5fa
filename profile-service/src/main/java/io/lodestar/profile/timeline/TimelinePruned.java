package io.lodestar.profile.timeline;

import java.time.Instant;

/**
 * Published after the timeline's retention deleted the events before {@code before} from
 * PostgreSQL (they stay in the lake).
 *
 * @param before the events before this instant are gone
 */
public record TimelinePruned(Instant before) {
}
