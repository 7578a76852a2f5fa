package io.lodestar.ingestion.connector.google;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
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

/**
 * {@code google-ads}: campaign days of one customer through
 * {@code googleAds:searchStream} over REST with a GAQL query. int64 metrics arrive as
 * strings and costs in micros: spend is {@code costMicros / 1,000,000} in the customer's
 * currency. Conversions are restated for weeks, so each run re-reads
 * {@code conversionWindowDays} (default 30) before the watermark. Settings:
 * {@code customerId} (10 digits, dashes allowed), {@code loginCustomerId} (the manager
 * account, if any), {@code startDate}, {@code conversionWindowDays}, {@code timeZone}.
 * Credentials: {@code developerToken}, {@code clientId}, {@code clientSecret},
 * {@code refreshToken}.
 */
@Component
public class GoogleAdsConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "google-ads";

	static final String QUERY = "SELECT customer.id, customer.currency_code, campaign.id, campaign.name, "
			+ "campaign.status, campaign.advertising_channel_type, segments.date, metrics.impressions, "
			+ "metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value "
			+ "FROM campaign WHERE segments.date BETWEEN '%s' AND '%s' AND campaign.status != 'REMOVED' "
			+ "ORDER BY segments.date";

	private final ConnectorProperties.GoogleAds ads;

	GoogleAdsConnector(ConnectorProperties properties) {
		this.ads = properties.googleAds();
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "customerId", "[0-9]{3}-?[0-9]{3}-?[0-9]{4}",
				"the 10-digit customer id, e.g. 123-456-7890");
		settings.text("loginCustomerId").ifPresent((id) -> {
			if (!id.matches("[0-9]{3}-?[0-9]{3}-?[0-9]{4}")) {
				errors.add("settings.loginCustomerId", "must be the manager's 10-digit customer id");
			}
		});
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "conversionWindowDays", "integer>=0");
		settings.checkOptional(errors, "timeZone", "zone");
		credentials.require(errors, "developerToken", "clientId", "clientSecret", "refreshToken");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		LocalDate today = LocalDate.now(context.clock().withZone(context.settings().zone("timeZone", ZoneOffset.UTC)));
		String token = GoogleOAuth.accessToken(context, this.ads.tokenUrl());
		context.retrier().call(() -> stream(context, token, today, today));
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		int window = context.settings().integer("conversionWindowDays", 30);
		DateRange range = context.dateRange(window, window, context.settings().zone("timeZone", ZoneOffset.UTC));
		if (range.isEmpty()) {
			return;
		}
		String token = GoogleOAuth.accessToken(context, this.ads.tokenUrl());
		JsonNode batches = context.retrier().call(() -> stream(context, token, range.since(), range.until()));
		for (JsonNode batch : batches) {
			JsonNode results = batch.get("results");
			if (results == null) {
				if (batch.has("error")) {
					throw GoogleErrors.googleAds(context.json(), 200, "[" + batch + "]", context.clock());
				}
				continue;
			}
			if (!results.isArray()) {
				throw new MalformedPageException("Google Ads stream batch 'results' is not an array");
			}
			int index = 0;
			for (JsonNode row : results) {
				sink.record(toRecord(row, "results[" + index++ + "]", context));
			}
			sink.page();
		}
		sink.watermark(range.until().toString());
	}

	private JsonNode stream(ConnectorContext context, String accessToken, LocalDate since, LocalDate until)
			throws Exception {
		String customer = context.settings().requiredText("customerId").replace("-", "");
		ObjectNode body = context.json().createObjectNode();
		body.put("query", QUERY.formatted(since, until));
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.ads.baseUrl() + "/" + this.ads.apiVersion() + "/customers/" + customer
					+ "/googleAds:searchStream"))
			.timeout(Duration.ofMinutes(5))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + accessToken)
			.header("developer-token", context.credentials().get("developerToken"))
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
		context.settings()
			.text("loginCustomerId")
			.ifPresent((login) -> request.header("login-customer-id", login.replace("-", "")));
		HttpResponse<String> response = context.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw GoogleErrors.googleAds(context.json(), response.statusCode(), response.body(), context.clock());
		}
		JsonNode root;
		try {
			root = context.json().readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("Google Ads stream is not valid JSON (truncated?)", ex);
		}
		if (!root.isArray()) {
			throw new MalformedPageException("Google Ads stream is not an array of batches");
		}
		return root;
	}

	private static ConnectorRecord toRecord(JsonNode row, String at, ConnectorContext context) {
		String customer = text(row.path("customer"), "id", at + ".customer");
		String campaign = text(row.path("campaign"), "id", at + ".campaign");
		String date = text(row.path("segments"), "date", at + ".segments");
		try {
			LocalDate.parse(date);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException(at + ".segments.date is not a date");
		}
		JsonNode metrics = row.path("metrics");
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("accountId", customer);
		data.put("campaignId", campaign);
		if (row.path("campaign").hasNonNull("name")) {
			data.put("campaignName", row.path("campaign").get("name").asString());
		}
		data.put("date", date);
		data.put("currency", text(row.path("customer"), "currencyCode", at + ".customer"));
		data.put("spend", new BigDecimal(int64(metrics, "costMicros", at)).movePointLeft(6).stripTrailingZeros());
		data.put("impressions", int64(metrics, "impressions", at));
		data.put("clicks", int64(metrics, "clicks", at));
		data.put("conversions", number(metrics, "conversions", at));
		data.put("conversionValue", number(metrics, "conversionsValue", at));
		return ConnectorRecord.of(ConnectorRecordKind.AD_CAMPAIGN_DAY, context.workspaceId(), context.connectorId(),
				KIND, customer + ":" + campaign + ":" + date, context.clock().instant(), data);
	}

	/** int64 fields are strings; an absent one is zero (the API leaves zeros out). */
	private static long int64(JsonNode metrics, String field, String at) {
		JsonNode value = metrics.get(field);
		if (value == null || value.isNull()) {
			return 0;
		}
		try {
			return Long.parseLong(value.asString());
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException(at + ".metrics." + field + " is not an int64");
		}
	}

	private static BigDecimal number(JsonNode metrics, String field, String at) {
		JsonNode value = metrics.get(field);
		if (value == null || value.isNull()) {
			return BigDecimal.ZERO;
		}
		if (!value.isNumber()) {
			throw new MalformedPageException(at + ".metrics." + field + " is not a number");
		}
		return value.decimalValue();
	}

	private static String text(JsonNode node, String field, String at) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString() || value.stringValue().isBlank()) {
			throw new MalformedPageException(at + "." + field + " is missing or not a string");
		}
		return value.stringValue();
	}

}
