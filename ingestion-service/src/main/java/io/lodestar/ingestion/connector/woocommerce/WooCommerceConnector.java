package io.lodestar.ingestion.connector.woocommerce;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.connector.ConnectorRecordKind;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.RetryAfter;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * {@code woocommerce}: orders of any status through
 * {@code GET /wp-json/wc/v3/orders?modified_after=…&dates_are_gmt=true&orderby=modified&order=asc},
 * paged until {@code X-WP-TotalPages}, re-read from the newest {@code date_modified_gmt}
 * minus a small overlap. Settings: {@code storeUrl} (https), {@code startDate},
 * {@code overlapMinutes}. Credentials: {@code consumerKey}, {@code consumerSecret} (HTTP
 * Basic).
 */
@Component
public class WooCommerceConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "woocommerce";

	private final ConnectorProperties.WooCommerce woo;

	WooCommerceConnector(ConnectorProperties properties) {
		this.woo = properties.woocommerce();
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "storeUrl", this.woo.allowHttp() ? "https?://[^\\s]+" : "https://[^\\s]+",
				"the store's https URL, e.g. https://shop.example.com");
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "overlapMinutes", "integer>=0");
		credentials.require(errors, "consumerKey", "consumerSecret");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		context.retrier().call(() -> page(context, null, 1, 1));
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		String after = context.watermark()
			.map(Instant::parse)
			.map((mark) -> mark.minus(Duration.ofMinutes(context.settings().integer("overlapMinutes", 10))))
			.or(() -> context.settings().date("startDate").map((date) -> date.atStartOfDay().toInstant(ZoneOffset.UTC)))
			.map((instant) -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString())
			.orElse(null);
		Instant newest = context.watermark().map(Instant::parse).orElse(null);
		int totalPages = 1;
		for (int number = 1; number <= totalPages; number++) {
			int current = number;
			Page page = context.retrier().call(() -> page(context, after, current, 100));
			totalPages = page.totalPages();
			int index = 0;
			for (JsonNode order : page.orders()) {
				String at = "page " + current + " [" + index++ + "]";
				Instant modified = gmt(order, "date_modified_gmt", at);
				newest = (newest == null || modified.isAfter(newest)) ? modified : newest;
				sink.record(toRecord(order, at, modified, context));
			}
			sink.page();
		}
		if (newest != null) {
			sink.watermark(newest.toString());
		}
	}

	private Page page(ConnectorContext context, String modifiedAfter, int number, int perPage) throws Exception {
		String base = context.settings().requiredText("storeUrl").replaceAll("/+$", "");
		String query = "per_page=" + perPage + "&page=" + number + "&orderby=modified&order=asc&dates_are_gmt=true"
				+ ((modifiedAfter != null)
						? "&modified_after=" + URLEncoder.encode(modifiedAfter, StandardCharsets.UTF_8) : "");
		String basic = Base64.getEncoder()
			.encodeToString(
					(context.credentials().get("consumerKey") + ":" + context.credentials().get("consumerSecret"))
						.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = context.http()
			.send(HttpRequest.newBuilder(URI.create(base + "/wp-json/wc/v3/orders?" + query))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Basic " + basic)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		int status = response.statusCode();
		if (status == 401 || status == 403) {
			String code = "";
			try {
				code = context.json().readTree(response.body()).path("code").asString("");
			}
			catch (JacksonException ex) {
				// not JSON
			}
			throw new SourceAuthenticationException("WooCommerce refused the consumer key (HTTP " + status
					+ (code.isEmpty() ? "" : ", " + code) + "): it needs read access");
		}
		if (status == 429 || status == 503) {
			throw new ThrottledException(
					RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), context.clock())
						.map((wait) -> Throttle.retryAfter(wait, "WooCommerce HTTP " + status))
						.orElseGet(() -> Throttle.transientLimit("WooCommerce HTTP " + status)));
		}
		if (status >= 500) {
			throw new ThrottledException(Throttle.transientLimit("WooCommerce HTTP " + status));
		}
		if (status / 100 != 2) {
			throw new IllegalStateException("WooCommerce answered HTTP " + status);
		}
		JsonNode orders;
		try {
			orders = context.json().readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("WooCommerce orders page is not valid JSON (truncated?)", ex);
		}
		if (!orders.isArray()) {
			throw new MalformedPageException("WooCommerce orders page is not an array");
		}
		int totalPages;
		try {
			totalPages = Integer.parseInt(response.headers().firstValue("X-WP-TotalPages").orElse("1").trim());
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException("WooCommerce header X-WP-TotalPages is not a number");
		}
		return new Page(orders, totalPages);
	}

	private static ConnectorRecord toRecord(JsonNode order, String at, Instant modified, ConnectorContext context) {
		JsonNode id = order.get("id");
		if (id == null || !id.isIntegralNumber()) {
			throw new MalformedPageException(at + ".id is not an integer");
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", id.asString());
		if (order.hasNonNull("number")) {
			data.put("orderNumber", order.get("number").asString());
		}
		data.put("createdAt", gmt(order, "date_created_gmt", at).toString());
		data.put("updatedAt", modified.toString());
		if (order.hasNonNull("status")) {
			data.put("status", order.get("status").asString());
		}
		String currency = order.path("currency").asString("");
		if (!currency.matches("[A-Z]{3}")) {
			throw new MalformedPageException(at + ".currency is not a currency code");
		}
		data.put("currency", currency);
		data.put("total", decimal(order.get("total"), at + ".total"));
		List<Map<String, Object>> lines = new ArrayList<>();
		JsonNode items = order.get("line_items");
		if (items == null || !items.isArray()) {
			throw new MalformedPageException(at + ".line_items is not an array");
		}
		int index = 0;
		for (JsonNode item : items) {
			String itemAt = at + ".line_items[" + index++ + "]";
			JsonNode quantity = item.get("quantity");
			if (quantity == null || !quantity.isIntegralNumber()) {
				throw new MalformedPageException(itemAt + ".quantity is not an integer");
			}
			Map<String, Object> line = new LinkedHashMap<>();
			String sku = item.path("sku").asString("");
			line.put("sku", sku.isBlank() ? "product-" + item.path("product_id").asString("") : sku);
			line.put("productId", item.path("product_id").asString(""));
			if (item.hasNonNull("name")) {
				line.put("name", item.get("name").asString());
			}
			line.put("quantity", quantity.longValue());
			line.put("unitPrice", decimal(item.get("price"), itemAt + ".price"));
			lines.add(line);
		}
		data.put("lineItems", lines);
		Map<String, Object> customer = new LinkedHashMap<>();
		long customerId = order.path("customer_id").asLong(0);
		if (customerId > 0) {
			customer.put("customerId", Long.toString(customerId));
		}
		String email = order.path("billing").path("email").asString("");
		if (!email.isBlank()) {
			customer.put("email", email);
		}
		String phone = order.path("billing").path("phone").asString("");
		if (!phone.isBlank()) {
			customer.put("phone", phone);
		}
		if (customer.isEmpty()) {
			customer.put("customerId", "guest-order-" + id.asString());
		}
		data.put("customer", customer);
		return ConnectorRecord.of(ConnectorRecordKind.ORDER, context.workspaceId(), context.connectorId(), KIND,
				id.asString(), context.clock().instant(), data);
	}

	private static BigDecimal decimal(JsonNode value, String at) {
		if (value == null || value.isNull()) {
			throw new MalformedPageException(at + " is missing");
		}
		try {
			return new BigDecimal(value.asString());
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException(at + " is not a decimal");
		}
	}

	private static Instant gmt(JsonNode order, String field, String at) {
		JsonNode value = order.get(field);
		if (value == null || !value.isString()) {
			throw new MalformedPageException(at + "." + field + " is missing or not a string");
		}
		try {
			return LocalDateTime.parse(value.stringValue()).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException(at + "." + field + " is not a date-time");
		}
	}

	private record Page(JsonNode orders, int totalPages) {
	}

}
