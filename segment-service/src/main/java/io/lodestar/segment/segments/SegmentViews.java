package io.lodestar.segment.segments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * What the segment API reads and answers.
 */
final class SegmentViews {

	private SegmentViews() {
	}

	/**
	 * @param name unique in the workspace, 1-200 characters
	 * @param description free text
	 * @param rule the rule (version 1)
	 */
	record SegmentRequest(String name, String description, JsonNode rule) {
	}

	/**
	 * @param rule an unsaved rule to preview
	 */
	record PreviewRequest(JsonNode rule) {
	}

	/**
	 * @param size how many profiles match now
	 * @param sample some of them, most recently active first
	 * @param durationMs how long the count took
	 */
	record Preview(long size, List<Member> sample, long durationMs) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Member(UUID profileId, String userId, Map<String, Object> traits, Instant lastSeenAt, Instant enteredAt) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Segment(UUID segmentId, String name, String description, JsonNode rule, int version, long size,
			Instant computedAt, Instant createdAt, Instant updatedAt) {
	}

	record MembersPage(List<Member> members, String nextCursor) {
	}

	record SizePoint(Instant computedAt, int version, long size, long entered, long exited, long durationMs) {
	}

	/**
	 * @param size members after the recompute
	 * @param entered profiles that entered
	 * @param exited profiles that exited
	 * @param durationMs how long it took
	 */
	record Recomputed(UUID segmentId, int version, long size, long entered, long exited, long durationMs) {
	}

}
