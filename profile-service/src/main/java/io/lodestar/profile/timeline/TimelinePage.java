package io.lodestar.profile.timeline;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of a profile's timeline, newest first.
 *
 * @param profileId the profile whose events these are
 * @param events the events
 * @param nextCursor pass as {@code cursor} for the next (older) page; absent on the last
 * page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelinePage(UUID profileId, List<Event> events, String nextCursor) {

	/**
	 * @param eventId the event's id
	 * @param type its type (track, identify, page …)
	 * @param name the track event's name, empty for other types
	 * @param occurredAt when it happened
	 * @param properties its properties, when it had any
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Event(UUID eventId, String type, String name, Instant occurredAt, Object properties) {
	}

}
