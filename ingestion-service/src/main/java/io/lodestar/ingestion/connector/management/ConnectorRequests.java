package io.lodestar.ingestion.connector.management;

import tools.jackson.databind.JsonNode;

/**
 * The bodies the connector API takes. Settings and credentials stay JSON until they are
 * checked, so a wrong type is reported per field rather than as an unreadable body.
 */
final class ConnectorRequests {

	private ConnectorRequests() {
	}

	/**
	 * @param kind the source kind, e.g. {@code meta-ads}
	 * @param name unique in the workspace
	 * @param schedule cron (five fields, UTC) or a macro such as {@code @daily}; default
	 * {@code 0 3 * * *}
	 * @param settings the kind's non-secret settings
	 * @param credentials the kind's secrets (write-only)
	 */
	record CreateConnectorRequest(String kind, String name, String schedule, JsonNode settings, JsonNode credentials) {
	}

	/**
	 * Every field optional: settings replace the stored ones; credentials are merged key
	 * by key (a null value removes a key).
	 *
	 * @param name a new name
	 * @param schedule a new schedule
	 * @param settings new settings
	 * @param credentials secrets to set or remove
	 */
	record UpdateConnectorRequest(String name, String schedule, JsonNode settings, JsonNode credentials) {
	}

	/**
	 * @param reason why, shown with the connector
	 */
	record PauseConnectorRequest(String reason) {
	}

}
