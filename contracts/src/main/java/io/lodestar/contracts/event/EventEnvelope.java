package io.lodestar.contracts.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one envelope of every event on {@code cdp.ingestion.events}. Consumers read it
 * tolerantly: unknown fields are ignored.
 *
 * @param eventId the platform's id of the event, stable across redeliveries (see
 * {@link #eventIdFor(String, String)})
 * @param type the logical type id ({@link EventType#id()})
 * @param schemaVersion the SchemaVer of the type's schema this envelope follows
 * @param occurredAt when it happened: the client's timestamp corrected for clock skew
 * @param receivedAt when the collector received it
 * @param workspaceId the workspace that owns it
 * @param sourceId the source (write key's source or connector) it came from
 * @param messageId the sender's id of the message, the deduplication key per workspace
 * @param identity who it is about
 * @param context the Segment {@code context} object (ip, userAgent, page, campaign …)
 * @param payload the type's own fields (track: {@code event, properties}; identify:
 * {@code traits}; page/screen: {@code name, category, properties}; group:
 * {@code groupId, traits}; alias: {@code previousId})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(UUID eventId, String type, String schemaVersion, Instant occurredAt, Instant receivedAt,
		String workspaceId, String sourceId, String messageId, Identity identity, Map<String, Object> context,
		Map<String, Object> payload) {

	/**
	 * The event id of a message: a name-based UUID of workspace and message id, so that a
	 * client's retry of the same message always yields the same event id.
	 * @param workspaceId the workspace
	 * @param messageId the sender's message id
	 * @return a stable UUID
	 */
	public static UUID eventIdFor(String workspaceId, String messageId) {
		return UUID
			.nameUUIDFromBytes((workspaceId + '\u0000' + messageId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * The Kafka record key: workspace and identity, so that one person's events stay in
	 * order on one partition.
	 * @return {@code workspaceId:userId-or-anonymousId}
	 */
	public String partitionKey() {
		return this.workspaceId + ':' + ((this.identity != null) ? this.identity.partitionId() : "");
	}

}
