package io.lodestar.ingestion.connector.meta;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.connector.ConnectorRecordKind;
import io.lodestar.ingestion.connector.MalformedPageException;

/**
 * One page of {@code GET /act_{account}/insights?level=campaign&time_increment=1} read
 * into ad-campaign-day records. Meta sends every metric as a string; the same purchases
 * appear as {@code omni_purchase}, {@code purchase} and
 * {@code offsite_conversion.fb_pixel_purchase} — the first present of those, in that
 * order, is counted, once.
 *
 * @param records the page's rows
 * @param next the absolute URL of the next page, empty on the last
 */
public record MetaInsightsPage(List<ConnectorRecord> records, Optional<String> next) {

	/** The source kind on the records. */
	public static final String SOURCE = "meta-ads";

	static final List<String> PURCHASE_TYPES = List.of("omni_purchase", "purchase",
			"offsite_conversion.fb_pixel_purchase");

	/**
	 * Reads a page.
	 * @param json the mapper
	 * @param body the response body
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param pulledAt when it was read
	 * @return the page
	 * @throws MalformedPageException if the body is not a page of insights
	 */
	public static MetaInsightsPage parse(JsonMapper json, String body, String workspaceId, String connectorId,
			Instant pulledAt) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("Meta insights page is not valid JSON (truncated?)", ex);
		}
		JsonNode data = root.get("data");
		if (data == null || !data.isArray()) {
			throw new MalformedPageException("Meta insights page has no 'data' array");
		}
		List<ConnectorRecord> records = new ArrayList<>(data.size());
		int index = 0;
		for (JsonNode row : data) {
			records.add(toRecord(row, "data[" + index++ + "]", workspaceId, connectorId, pulledAt));
		}
		JsonNode next = root.path("paging").get("next");
		Optional<String> nextUrl = (next != null && next.isString() && !next.stringValue().isBlank())
				? Optional.of(next.stringValue()) : Optional.empty();
		return new MetaInsightsPage(records, nextUrl);
	}

	private static ConnectorRecord toRecord(JsonNode row, String at, String workspaceId, String connectorId,
			Instant pulledAt) {
		String accountId = text(row, "account_id", at);
		String campaignId = text(row, "campaign_id", at);
		String date = text(row, "date_start", at);
		try {
			LocalDate.parse(date);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException(at + ".date_start is not a date");
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("accountId", "act_" + accountId);
		fields.put("campaignId", campaignId);
		if (row.hasNonNull("campaign_name")) {
			fields.put("campaignName", row.get("campaign_name").asString());
		}
		fields.put("date", date);
		fields.put("currency", text(row, "account_currency", at));
		fields.put("spend", decimal(row, "spend", at));
		fields.put("impressions", integer(row, "impressions", at));
		fields.put("clicks", integer(row, "clicks", at));
		fields.put("conversions", purchases(row.get("actions"), at + ".actions"));
		fields.put("conversionValue", purchases(row.get("action_values"), at + ".action_values"));
		String naturalKey = "act_" + accountId + ":" + campaignId + ":" + date;
		return ConnectorRecord.of(ConnectorRecordKind.AD_CAMPAIGN_DAY, workspaceId, connectorId, SOURCE, naturalKey,
				pulledAt, fields);
	}

	private static BigDecimal purchases(JsonNode actions, String at) {
		if (actions == null || actions.isNull()) {
			return BigDecimal.ZERO;
		}
		if (!actions.isArray()) {
			throw new MalformedPageException(at + " is not an array");
		}
		for (String type : PURCHASE_TYPES) {
			for (JsonNode action : actions) {
				if (type.equals(action.path("action_type").asString(""))) {
					return decimal(action, "value", at);
				}
			}
		}
		return BigDecimal.ZERO;
	}

	private static String text(JsonNode row, String field, String at) {
		JsonNode value = row.get(field);
		if (value == null || !(value.isString() || value.isNumber()) || value.asString().isBlank()) {
			throw new MalformedPageException(at + "." + field + " is missing or not a string");
		}
		return value.asString();
	}

	private static BigDecimal decimal(JsonNode row, String field, String at) {
		String value = text(row, field, at);
		try {
			return new BigDecimal(value);
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException(at + "." + field + " is not a number");
		}
	}

	private static long integer(JsonNode row, String field, String at) {
		String value = text(row, field, at);
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException(at + "." + field + " is not an integer");
		}
	}

}
