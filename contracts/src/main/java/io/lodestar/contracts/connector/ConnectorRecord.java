package io.lodestar.contracts.connector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The envelope of every row on {@code cdp.connector.records}. A re-pull of the same row
 * (trailing window) yields the same {@link #recordId()}, so consumers upsert by it.
 * Consumers read it tolerantly: unknown fields are ignored.
 *
 * @param recordId a name-based id of workspace, source, kind and natural key (see
 * {@link #recordIdFor(String, String, String, String)})
 * @param kind the kind's wire id ({@link ConnectorRecordKind#id()})
 * @param schemaVersion the SchemaVer of the kind's schema this record follows
 * @param workspaceId the workspace that owns the connector
 * @param connectorId the connector instance that pulled it
 * @param source the source kind, e.g. {@code shopify}, {@code meta-ads}
 * @param naturalKey the source's own key of the row, e.g. {@code campaignId:2026-11-20}
 * @param pulledAt when the connector read it
 * @param data the kind's own fields
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectorRecord(UUID recordId, String kind, String schemaVersion, String workspaceId, String connectorId,
		String source, String naturalKey, Instant pulledAt, Map<String, Object> data) {

	/**
	 * A record of the current schema version of its kind.
	 * @param kind the kind
	 * @param workspaceId the workspace
	 * @param connectorId the connector instance
	 * @param source the source kind
	 * @param naturalKey the source's key of the row
	 * @param pulledAt when it was read
	 * @param data the kind's fields
	 * @return the record with its stable id
	 */
	public static ConnectorRecord of(ConnectorRecordKind kind, String workspaceId, String connectorId, String source,
			String naturalKey, Instant pulledAt, Map<String, Object> data) {
		return new ConnectorRecord(recordIdFor(workspaceId, source, kind.id(), naturalKey), kind.id(),
				kind.schemaVersion(), workspaceId, connectorId, source, naturalKey, pulledAt, data);
	}

	/**
	 * The record id of a row: stable across re-pulls and connector instances of the same
	 * source in the same workspace.
	 * @param workspaceId the workspace
	 * @param source the source kind
	 * @param kind the kind's wire id
	 * @param naturalKey the source's key of the row
	 * @return a name-based UUID
	 */
	public static UUID recordIdFor(String workspaceId, String source, String kind, String naturalKey) {
		String name = workspaceId + '\u0000' + source + '\u0000' + kind + '\u0000' + naturalKey;
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The Kafka record key: workspace, kind and natural key, so that all versions of one
	 * row land on one partition in order and a compacted topic keeps the last.
	 * @return {@code workspaceId:kind:naturalKey}
	 */
	public String partitionKey() {
		return this.workspaceId + ':' + this.kind + ':' + this.naturalKey;
	}

}
