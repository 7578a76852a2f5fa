package io.lodestar.contracts.event;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message the collector refused, as published on {@code cdp.ingestion.events-dlt}.
 *
 * @param workspaceId the workspace the write key belongs to
 * @param sourceId the source of the write key
 * @param receivedAt when the collector received it
 * @param route the HTTP route it came in on, e.g. {@code /v1/batch}
 * @param index its position in a batch, 0 for a single message
 * @param reasons why it was refused, one entry per violated rule
 * @param message the message as received (truncated to the size limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RejectedEvent(String workspaceId, String sourceId, Instant receivedAt, String route, int index,
		List<String> reasons, String message) {

	/** The logical type id of the dead-letter record. */
	public static final String TYPE = "rejected";

	/** The SchemaVer of its schema. */
	public static final String SCHEMA_VERSION = "1-0-0";

}
