package io.lodestar.profile.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The profile document.
 *
 * @param profileId the profile's id
 * @param mergedFrom the id that was asked for when it belonged to a profile since merged
 * into this one; absent otherwise
 * @param workspaceId its workspace
 * @param userId the known person's id, if any
 * @param identities every identifier that resolves to it
 * @param traits the traits (identify), latest value per key
 * @param computed traits the pipeline computes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileResponse(UUID profileId, UUID mergedFrom, String workspaceId, String userId,
		List<IdentityResponse> identities, Map<String, Object> traits, Computed computed) {

	/**
	 * @param kind {@code user_id} or {@code anonymous_id}
	 * @param value the identifier
	 * @param firstSeenAt first event with it
	 * @param lastSeenAt last event with it
	 */
	public record IdentityResponse(String kind, String value, Instant firstSeenAt, Instant lastSeenAt) {
	}

	/**
	 * @param firstSeenAt the first event's time
	 * @param lastSeenAt the last event's time
	 * @param eventCount all events
	 * @param eventCountsByType events per type (track, identify, page …)
	 * @param trackEventCounts track events per event name
	 */
	public record Computed(Instant firstSeenAt, Instant lastSeenAt, long eventCount,
			Map<String, Long> eventCountsByType, Map<String, Long> trackEventCounts) {
	}

}
