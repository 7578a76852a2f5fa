package io.lodestar.profile.timeline;

import java.time.Instant;

/**
 * What part of a timeline to read.
 *
 * @param type only events of this type, or null for all
 * @param from only events at or after this instant, or null
 * @param to only events before this instant, or null
 * @param limit the page size
 * @param cursor where the previous page ended, or null for the newest page
 */
record TimelineQuery(String type, Instant from, Instant to, int limit, String cursor) {
}
