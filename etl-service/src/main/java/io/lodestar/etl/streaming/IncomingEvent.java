package io.lodestar.etl.streaming;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

import org.apache.spark.sql.Row;

import io.lodestar.contracts.identity.Identifiers;

/**
 * One parsed event the pipeline can apply, or the reason it cannot.
 *
 * @param workspaceId the workspace
 * @param eventId the event id (deduplication key)
 * @param type the logical type
 * @param occurredAt when it happened
 * @param userId the known person's id, may be null
 * @param anonymousId the device/browser id, may be null
 * @param eventName the track event name, '' for other types
 * @param traitsJson identify traits as JSON text, may be null
 * @param previousId alias's previous id, may be null
 * @param sourceId the source it came from, may be null
 * @param userAgent {@code context.userAgent}, may be null
 * @param email the email trait (of the event or its context), may be null
 * @param propertiesJson track/page/screen properties as JSON text, may be null
 * @param phone the phone trait (of the event or its context), may be null
 * @param advertisingId {@code context.device.advertisingId} (ADID/IDFA), may be null
 * @param deviceId {@code context.device.id}, may be null
 * @param contextJson the envelope's context as JSON text, may be null
 * @param payloadTraitsJson the payload's traits whatever the type, may be null
 */
record IncomingEvent(String workspaceId, UUID eventId, String type, Instant occurredAt, String userId,
		String anonymousId, String eventName, String traitsJson, String previousId, String sourceId, String userAgent,
		String email, String propertiesJson, String phone, String advertisingId, String deviceId, String contextJson,
		String payloadTraitsJson) {

	static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");

	/**
	 * Reads a row of {@link EventParsing#parse}.
	 * @param row the row
	 * @return the event or the rejection
	 */
	static Parsed from(Row row) {
		Row envelope = row.getAs("envelope");
		// Spark's from_json gives null, or (Spark 4) a row of nulls, for a value that is
		// not JSON
		if (envelope == null || allNull(envelope)) {
			return Parsed.rejected(null, "value is not a JSON event envelope");
		}
		String workspaceId = envelope.getAs("workspaceId");
		if (blank(workspaceId)) {
			return Parsed.rejected(null, "workspaceId is missing");
		}
		String type = envelope.getAs("type");
		if (type == null || !TYPES.contains(type)) {
			return Parsed.rejected(workspaceId, "unknown event type: " + type);
		}
		UUID eventId;
		try {
			eventId = UUID.fromString(envelope.getAs("eventId"));
		}
		catch (RuntimeException ex) {
			return Parsed.rejected(workspaceId, "eventId is missing or not a UUID");
		}
		Instant occurredAt;
		try {
			occurredAt = Instant.parse(envelope.<String>getAs("occurredAt"));
		}
		catch (DateTimeParseException | NullPointerException ex) {
			return Parsed.rejected(workspaceId, "occurredAt is missing or not an ISO-8601 instant");
		}
		Row identity = envelope.getAs("identity");
		String userId = (identity != null) ? trimToNull(identity.getAs("userId")) : null;
		String anonymousId = (identity != null) ? trimToNull(identity.getAs("anonymousId")) : null;
		// connector records (orders, customers) carry their customer's ids in the context
		if (userId == null && anonymousId == null && !Boolean.TRUE.equals(optionalBoolean(row, "connector"))) {
			return Parsed.rejected(workspaceId, "identity has neither userId nor anonymousId");
		}
		// "undefined", "null", "0", all-zero ids … identify nobody (contracts'
		// Identifiers): the event counts only if something else identifies it
		userId = Identifiers.isJunk(userId) ? null : userId;
		anonymousId = Identifiers.isJunk(anonymousId) ? null : anonymousId;
		Row payload = envelope.getAs("payload");
		String eventName = "";
		String traits = null;
		String previousId = null;
		String payloadTraits = null;
		if (payload != null) {
			payloadTraits = payload.getAs("traits");
			if ("track".equals(type)) {
				eventName = (payload.getAs("event") != null) ? payload.getAs("event") : "";
			}
			traits = "identify".equals(type) ? payload.getAs("traits") : null;
			previousId = "alias".equals(type) ? trimToNull(payload.getAs("previousId")) : null;
		}
		if ("track".equals(type) && eventName.isBlank()) {
			return Parsed.rejected(workspaceId, "track event has no event name");
		}
		return new Parsed(new IncomingEvent(workspaceId, eventId, type, occurredAt, userId, anonymousId,
				truncate(eventName, 200), traits, previousId, envelope.getAs("sourceId"), optional(row, "userAgent"),
				optional(row, "email"), optional(row, "properties"), optional(row, "phone"),
				optional(row, "advertisingId"), optional(row, "deviceId"), optional(row, "context"), payloadTraits),
				null, null);
	}

	private static String optional(Row row, String field) {
		int index = java.util.Arrays.asList(row.schema().fieldNames()).indexOf(field);
		return (index >= 0 && !row.isNullAt(index)) ? row.getString(index) : null;
	}

	private static Boolean optionalBoolean(Row row, String field) {
		int index = java.util.Arrays.asList(row.schema().fieldNames()).indexOf(field);
		return (index >= 0 && !row.isNullAt(index)) ? row.getBoolean(index) : null;
	}

	private static boolean allNull(Row row) {
		for (int i = 0; i < row.length(); i++) {
			if (!row.isNullAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	private static String trimToNull(String value) {
		return blank(value) ? null : value.trim();
	}

	private static String truncate(String value, int max) {
		return (value.length() <= max) ? value : value.substring(0, max);
	}

	/**
	 * The outcome of reading a row.
	 *
	 * @param event the event, when usable
	 * @param workspaceId the workspace of a rejected row, when known
	 * @param rejection why the row is rejected, null when usable
	 */
	record Parsed(IncomingEvent event, String workspaceId, String rejection) {

		static Parsed rejected(String workspaceId, String reason) {
			return new Parsed(null, workspaceId, reason);
		}

	}

}
