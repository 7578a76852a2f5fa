package io.lodestar.ingestion.connector.google;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.connector.ConnectorRecordKind;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorContext.DateRange;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.Hashes;

/**
 * {@code ga4}: a GA4 Data API {@code runReport} by day, paged with {@code limit} and
 * {@code offset} while {@code offset < rowCount}, into analytics-report-row records keyed
 * on property, day and dimension values. Every value arrives as a string and {@code date}
 * as {@code YYYYMMDD}; metrics become numbers. GA4 revises recent days, so each run
 * re-reads {@code revisionWindowDays} (default 3). An hourly token quota waits for the
 * next hour; the daily one pauses the connector until midnight Pacific time. Settings:
 * {@code propertyId}, {@code dimensions}, {@code metrics}, {@code startDate},
 * {@code revisionWindowDays}, {@code timeZone} (the property's), {@code pageSize}.
 * Credentials: {@code clientId}, {@code clientSecret}, {@code refreshToken}.
 */
@Component
public class Ga4Connector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "ga4";

	static final List<String> DIMENSIONS = List.of("sessionSourceMedium", "eventName");

	static final List<String> METRICS = List.of("eventCount", "activeUsers", "purchaseRevenue");

	private static final DateTimeFormatter GA4_DATE = DateTimeFormatter.BASIC_ISO_DATE;

	private final ConnectorProperties.Ga4 ga4;

	Ga4Connector(ConnectorProperties properties) {
		this.ga4 = properties.ga4();
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "propertyId", "[0-9]{1,20}", "the numeric GA4 property id");
		names(settings, "dimensions", errors);
		names(settings, "metrics", errors);
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "revisionWindowDays", "integer>=0");
		settings.checkOptional(errors, "pageSize", "integer>=0");
		settings.checkOptional(errors, "timeZone", "zone");
		credentials.require(errors, "clientId", "clientSecret", "refreshToken");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		LocalDate today = LocalDate.now(context.clock().withZone(context.settings().zone("timeZone", ZoneOffset.UTC)));
		String token = GoogleOAuth.accessToken(context, this.ga4.tokenUrl());
		context.retrier().call(() -> report(context, token, new DateRange(today, today), 0, 1));
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		ConnectorSettings settings = context.settings();
		int window = settings.integer("revisionWindowDays", 3);
		DateRange range = context.dateRange(window, 30, settings.zone("timeZone", ZoneOffset.UTC));
		if (range.isEmpty()) {
			return;
		}
		String token = GoogleOAuth.accessToken(context, this.ga4.tokenUrl());
		int pageSize = Math.max(1, Math.min(settings.integer("pageSize", 10_000), 250_000));
		long offset = 0;
		while (true) {
			long at = offset;
			JsonNode page = context.retrier().call(() -> report(context, token, range, at, pageSize));
			JsonNode rows = page.get("rows");
			long rowCount = page.path("rowCount").asLong(0);
			if (rows == null || rows.isNull()) {
				// an empty result has neither rows nor rowCount
				sink.page();
				break;
			}
			if (!rows.isArray()) {
				throw new MalformedPageException("GA4 report 'rows' is not an array");
			}
			List<String> dimensions = headers(page, "dimensionHeaders");
			List<String> metrics = headers(page, "metricHeaders");
			int index = 0;
			for (JsonNode row : rows) {
				sink.record(toRecord(row, "rows[" + (offset + index++) + "]", dimensions, metrics, page, context));
			}
			sink.page();
			offset += rows.size();
			if (rows.isEmpty() || offset >= rowCount) {
				break;
			}
		}
		sink.watermark(range.until().toString());
	}

	private JsonNode report(ConnectorContext context, String accessToken, DateRange range, long offset, int limit)
			throws Exception {
		ConnectorSettings settings = context.settings();
		ObjectNode body = context.json().createObjectNode();
		ObjectNode dates = body.putArray("dateRanges").addObject();
		dates.put("startDate", range.since().toString());
		dates.put("endDate", range.until().toString());
		ArrayNode dimensions = body.putArray("dimensions");
		dimensions.addObject().put("name", "date");
		for (String name : list(settings, "dimensions", DIMENSIONS)) {
			dimensions.addObject().put("name", name);
		}
		ArrayNode metrics = body.putArray("metrics");
		for (String name : list(settings, "metrics", METRICS)) {
			metrics.addObject().put("name", name);
		}
		ObjectNode order = body.putArray("orderBys").addObject();
		order.putObject("dimension").put("dimensionName", "date").put("orderType", "ALPHANUMERIC");
		body.put("limit", limit);
		body.put("offset", offset);
		body.put("keepEmptyRows", false);
		body.put("returnPropertyQuota", true);
		URI uri = URI
			.create(this.ga4.baseUrl() + "/v1beta/properties/" + settings.requiredText("propertyId") + ":runReport");
		HttpResponse<String> response = context.http()
			.send(HttpRequest.newBuilder(uri)
				.timeout(Duration.ofMinutes(2))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + accessToken)
				.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw GoogleErrors.ga4(context.json(), response.statusCode(), response.body(), context.clock());
		}
		try {
			JsonNode page = context.json().readTree(response.body());
			if (!page.isObject()) {
				throw new MalformedPageException("GA4 report is not a JSON object");
			}
			return page;
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("GA4 report is not valid JSON (truncated?)", ex);
		}
	}

	private static ConnectorRecord toRecord(JsonNode row, String at, List<String> dimensionNames,
			List<String> metricNames, JsonNode page, ConnectorContext context) {
		JsonNode dimensionValues = row.get("dimensionValues");
		JsonNode metricValues = row.get("metricValues");
		if (dimensionValues == null || !dimensionValues.isArray() || dimensionValues.size() != dimensionNames.size()) {
			throw new MalformedPageException(at + ".dimensionValues does not match the dimension headers");
		}
		if (metricValues == null || !metricValues.isArray() || metricValues.size() != metricNames.size()) {
			throw new MalformedPageException(at + ".metricValues does not match the metric headers");
		}
		String property = context.settings().requiredText("propertyId");
		String date = null;
		Map<String, Object> dimensions = new LinkedHashMap<>();
		List<String> key = new ArrayList<>();
		for (int i = 0; i < dimensionNames.size(); i++) {
			String value = dimensionValues.get(i).path("value").asString(null);
			if (value == null) {
				throw new MalformedPageException(at + ".dimensionValues[" + i + "].value is missing");
			}
			if ("date".equals(dimensionNames.get(i))) {
				try {
					date = LocalDate.parse(value, GA4_DATE).toString();
				}
				catch (DateTimeParseException ex) {
					throw new MalformedPageException(at + " date is not YYYYMMDD");
				}
			}
			else {
				dimensions.put(dimensionNames.get(i), value);
				key.add(value);
			}
		}
		if (date == null) {
			throw new MalformedPageException(at + " has no date dimension");
		}
		Map<String, Object> metrics = new LinkedHashMap<>();
		for (int i = 0; i < metricNames.size(); i++) {
			String value = metricValues.get(i).path("value").asString("");
			try {
				metrics.put(metricNames.get(i), new BigDecimal(value));
			}
			catch (NumberFormatException ex) {
				throw new MalformedPageException(
						at + ".metricValues[" + i + "] (" + metricNames.get(i) + ") is not a number");
			}
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("propertyId", property);
		data.put("date", date);
		data.put("dimensions", dimensions);
		data.put("metrics", metrics);
		String currency = page.path("metadata").path("currencyCode").asString("");
		if (currency.matches("[A-Z]{3}")) {
			data.put("currency", currency);
		}
		if (page.path("metadata").hasNonNull("timeZone")) {
			data.put("timeZone", page.path("metadata").get("timeZone").asString());
		}
		String values = String.join("|", key);
		String naturalKey = "properties/" + property + ":" + date + ":"
				+ ((values.length() <= 200) ? values : "sha256-" + Hashes.sha256(values));
		return ConnectorRecord.of(ConnectorRecordKind.ANALYTICS_REPORT_ROW, context.workspaceId(),
				context.connectorId(), KIND, naturalKey, context.clock().instant(), data);
	}

	private static List<String> headers(JsonNode page, String field) {
		JsonNode headers = page.get(field);
		if (headers == null || !headers.isArray()) {
			throw new MalformedPageException("GA4 report has no '" + field + "' array");
		}
		List<String> names = new ArrayList<>();
		headers.forEach((header) -> names.add(header.path("name").asString("")));
		return names;
	}

	private static void names(ConnectorSettings settings, String field, FieldErrors errors) {
		JsonNode value = settings.get(field);
		if (value.isMissingNode() || value.isNull()) {
			return;
		}
		boolean ok = value.isArray() && !value.isEmpty() && value.size() <= 9;
		if (ok) {
			for (JsonNode name : value) {
				ok &= name.isString() && name.stringValue().matches("[A-Za-z][A-Za-z0-9_:]{0,99}")
						&& !"date".equals(name.stringValue());
			}
		}
		if (!ok) {
			errors.add("settings." + field, "must be a list of 1 to 9 GA4 API names (date is always added)");
		}
	}

	private static List<String> list(ConnectorSettings settings, String field, List<String> fallback) {
		JsonNode value = settings.get(field);
		if (!value.isArray()) {
			return fallback;
		}
		List<String> names = new ArrayList<>();
		value.forEach((name) -> names.add(name.asString()));
		return names;
	}

}
