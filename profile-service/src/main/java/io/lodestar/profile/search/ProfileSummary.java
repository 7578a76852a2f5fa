package io.lodestar.profile.search;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A profile in a list: enough to show it and open its document.
 *
 * @param profileId the profile's id
 * @param userId the known person's id, if any
 * @param traits its traits
 * @param firstSeenAt its first event's time
 * @param lastSeenAt its last event's time
 * @param eventCount all its events
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileSummary(UUID profileId, String userId, Map<String, Object> traits, Instant firstSeenAt,
		Instant lastSeenAt, long eventCount) {
}
