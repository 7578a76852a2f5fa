package io.lodestar.ingestion.collector;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.Identity;
import io.lodestar.ingestion.writekey.WriteKeyOwner;

/**
 * Turns one Segment-spec message into the platform's {@link EventEnvelope}, or says every
 * rule it breaks. Enrichment: {@code receivedAt}; {@code occurredAt} corrected for the
 * client's clock skew, {@code receivedAt − (sentAt − originalTimestamp)};
 * {@code context.ip} from the request when absent; a {@code messageId} when absent.
 * Batch-level {@code context} and {@code integrations} merge into each message (the
 * message's own keys win). Public so that file drops read Segment-spec messages by the
 * same rules.
 */
public final class MessageNormalizer {

	static final int MAX_MESSAGE_ID = 100;

	private final int maxMessageBytes;

	/**
	 * @param maxMessageBytes the largest message accepted
	 */
	public MessageNormalizer(int maxMessageBytes) {
		this.maxMessageBytes = maxMessageBytes;
	}

	/**
	 * @param message the message
	 * @param messageBytes its size as sent
	 * @param type the route's type, or null when the message says (batch)
	 * @param batch the enclosing batch (its context, integrations, sentAt), or null
	 * @param owner the write key's owner
	 * @param clientIp the request's client address
	 * @param receivedAt when the request arrived
	 * @return the envelope or the reasons it is refused
	 */
	public Result normalize(JsonNode message, int messageBytes, EventType type, JsonNode batch, WriteKeyOwner owner,
			String clientIp, Instant receivedAt) {
		List<String> reasons = new ArrayList<>();
		if (message == null || !message.isObject()) {
			return Result.rejected(List.of("a message must be a JSON object"));
		}
		if (messageBytes > this.maxMessageBytes) {
			return Result.rejected(List.of("message is larger than " + this.maxMessageBytes / 1024 + " KB"));
		}
		EventType resolved = type;
		if (resolved == null) {
			String declared = text(message, "type");
			resolved = (declared != null) ? EventType.fromId(declared).orElse(null) : null;
			if (resolved == null) {
				return Result.rejected(List.of("type must be one of track, identify, page, screen, group, alias"));
			}
		}
		String userId = id(message, "userId", reasons);
		String anonymousId = id(message, "anonymousId", reasons);
		if (userId == null && anonymousId == null) {
			reasons.add("userId or anonymousId is required");
		}
		String messageId = id(message, "messageId", reasons);
		if (messageId != null && messageId.length() > MAX_MESSAGE_ID) {
			reasons.add("messageId is longer than " + MAX_MESSAGE_ID + " characters");
		}
		Instant timestamp = instant(message, "timestamp", reasons);
		Instant originalTimestamp = instant(message, "originalTimestamp", reasons);
		Instant sentAt = instant(message, "sentAt", reasons);
		if (sentAt == null && batch != null) {
			sentAt = instant(batch, "sentAt", reasons);
		}
		Map<String, Object> payload = payload(resolved, message, reasons);
		Map<String, Object> context = merged(batch, message, "context", reasons);
		Map<String, Object> integrations = merged(batch, message, "integrations", reasons);
		if (!reasons.isEmpty()) {
			return Result.rejected(reasons);
		}
		if (!integrations.isEmpty()) {
			payload.put("integrations", integrations);
		}
		if (!context.containsKey("ip") && clientIp != null) {
			context.put("ip", clientIp);
		}
		if (messageId == null) {
			messageId = "lodestar-" + UUID.randomUUID();
		}
		Instant clientTime = (originalTimestamp != null) ? originalTimestamp : timestamp;
		Instant occurredAt = (clientTime == null) ? receivedAt
				: (sentAt != null) ? receivedAt.minus(Duration.between(clientTime, sentAt)) : clientTime;
		return new Result(new EventEnvelope(EventEnvelope.eventIdFor(owner.workspaceId(), messageId), resolved.id(),
				resolved.schemaVersion(), occurredAt, receivedAt, owner.workspaceId(), owner.sourceId(), messageId,
				new Identity(userId, anonymousId), context, payload), List.of());
	}

	private Map<String, Object> payload(EventType type, JsonNode message, List<String> reasons) {
		Map<String, Object> payload = new LinkedHashMap<>();
		switch (type) {
			case TRACK -> {
				String event = text(message, "event");
				if (event == null || event.isBlank()) {
					reasons.add("event is required for track");
				}
				else if (event.length() > 200) {
					reasons.add("event is longer than 200 characters");
				}
				payload.put("event", event);
				putObject(payload, message, "properties", reasons);
			}
			case IDENTIFY -> putObject(payload, message, "traits", reasons);
			case PAGE, SCREEN -> {
				putText(payload, message, "name");
				putText(payload, message, "category");
				putObject(payload, message, "properties", reasons);
			}
			case GROUP -> {
				String groupId = id(message, "groupId", reasons);
				if (groupId == null) {
					reasons.add("groupId is required for group");
				}
				payload.put("groupId", groupId);
				putObject(payload, message, "traits", reasons);
			}
			case ALIAS -> {
				String previousId = id(message, "previousId", reasons);
				if (previousId == null) {
					reasons.add("previousId is required for alias");
				}
				payload.put("previousId", previousId);
			}
		}
		payload.values().removeIf(java.util.Objects::isNull);
		return payload;
	}

	private void putObject(Map<String, Object> payload, JsonNode message, String field, List<String> reasons) {
		JsonNode value = message.get(field);
		if (value == null || value.isNull()) {
			return;
		}
		if (!value.isObject()) {
			reasons.add(field + " must be an object");
			return;
		}
		payload.put(field, value);
	}

	private static void putText(Map<String, Object> payload, JsonNode message, String field) {
		String value = text(message, field);
		if (value != null) {
			payload.put(field, value);
		}
	}

	private Map<String, Object> merged(JsonNode batch, JsonNode message, String field, List<String> reasons) {
		Map<String, Object> merged = new LinkedHashMap<>();
		for (JsonNode source : new JsonNode[] { (batch != null) ? batch.get(field) : null, message.get(field) }) {
			if (source == null || source.isNull()) {
				continue;
			}
			if (!source.isObject()) {
				reasons.add(field + " must be an object");
				continue;
			}
			source.properties().forEach((entry) -> merged.put(entry.getKey(), entry.getValue()));
		}
		return merged;
	}

	/**
	 * An id: a non-empty string, or a number (SDKs send numeric user ids) as its text.
	 */
	private static String id(JsonNode message, String field, List<String> reasons) {
		JsonNode value = message.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isNumber()) {
			return value.asString();
		}
		if (!value.isString()) {
			reasons.add(field + " must be a string");
			return null;
		}
		String text = value.asString().trim();
		return text.isEmpty() ? null : text;
	}

	private static String text(JsonNode message, String field) {
		JsonNode value = message.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static Instant instant(JsonNode message, String field, List<String> reasons) {
		String value = text(message, field);
		if (value == null) {
			if (message.get(field) != null && !message.get(field).isNull()) {
				reasons.add(field + " must be an ISO-8601 date-time string");
			}
			return null;
		}
		try {
			return IsoInstants.parse(value);
		}
		catch (DateTimeParseException ex) {
			reasons.add(field + " must be an ISO-8601 date-time string");
			return null;
		}
	}

	/**
	 * @param envelope the normalised event, null when rejected
	 * @param reasons why it is rejected, empty when accepted
	 */
	public record Result(EventEnvelope envelope, List<String> reasons) {

		static Result rejected(List<String> reasons) {
			return new Result(null, reasons);
		}

	}

}
