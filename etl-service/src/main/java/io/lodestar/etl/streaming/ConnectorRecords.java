package io.lodestar.etl.streaming;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lodestar.contracts.connector.ConnectorRecordKind;

/**
 * Reads a record of {@code cdp.connector.records} (contracts' {@code ConnectorRecord},
 * schemas {@code schemas/connector/<kind>/}, ADR 0016) tolerantly — unknown fields are
 * ignored — and checks what the pipeline relies on. An {@code ad-campaign-day} becomes a
 * {@link CampaignDay}; an {@code order} an {@code Order Completed} track event and a
 * {@code customer} an identify event, both as collector envelopes with an event id
 * derived from the record id (the order's; the customer's and its version), so that the
 * streaming job applies them once however often they are re-pulled. Anything else is a
 * {@link Read#rejection() rejection} with the reason.
 */
final class ConnectorRecords {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** numeric(18, 4) holds less than 10^14. */
	private static final BigDecimal LIMIT = BigDecimal.TEN.pow(14);

	private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

	private static final Pattern SOURCE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");

	private ConnectorRecords() {
	}

	/**
	 * What a record is.
	 *
	 * @param workspaceId its workspace, when readable
	 * @param rejection why it cannot be used, or null
	 * @param campaignDay the campaign day of an {@code ad-campaign-day}
	 * @param envelope the event envelope (JSON) of an order or a customer
	 */
	record Read(String workspaceId, String rejection, CampaignDay campaignDay, String envelope) {

		static Read rejected(String workspaceId, String reason) {
			return new Read(workspaceId, reason, null, null);
		}

	}

	/**
	 * An ad platform's numbers for one campaign on one day.
	 */
	record CampaignDay(String workspaceId, UUID recordId, String source, String accountId, String campaignId,
			String campaignName, LocalDate day, String currency, BigDecimal spend, long impressions, long clicks,
			BigDecimal conversions, BigDecimal conversionValue, Instant pulledAt) {
	}

	static Read read(String raw) {
		JsonNode record;
		try {
			record = (raw != null) ? JSON.readTree(raw) : null;
		}
		catch (java.io.IOException ex) {
			return Read.rejected(null, "value is not a JSON connector record");
		}
		if (record == null || !record.isObject()) {
			return Read.rejected(null, "value is not a JSON connector record");
		}
		String workspaceId = text(record, "workspaceId");
		if (workspaceId == null || workspaceId.length() > 64) {
			return Read.rejected(null, "workspaceId is missing or longer than 64 characters");
		}
		try {
			String kindId = required(record, "kind", "");
			ConnectorRecordKind kind = ConnectorRecordKind.fromId(kindId)
				.orElseThrow(() -> new Invalid(
						"unknown connector record kind: " + kindId.substring(0, Math.min(64, kindId.length()))));
			String version = required(record, "schemaVersion", "");
			if (!version.startsWith(kind.schemaVersion().substring(0, kind.schemaVersion().indexOf('-') + 1))) {
				throw new Invalid("unsupported schemaVersion " + version.substring(0, Math.min(16, version.length()))
						+ " of kind " + kind.id());
			}
			UUID recordId = uuid(record, "recordId");
			String source = required(record, "source", "");
			if (!SOURCE.matcher(source).matches()) {
				throw new Invalid("source must be a lower-case name");
			}
			String connectorId = required(record, "connectorId", "");
			required(record, "naturalKey", "");
			Instant pulledAt = instant(record, "pulledAt", "");
			JsonNode data = record.get("data");
			if (data == null || !data.isObject()) {
				throw new Invalid("data is missing or not an object");
			}
			return switch (kind) {
				case AD_CAMPAIGN_DAY ->
					new Read(workspaceId, null, campaignDay(workspaceId, recordId, source, pulledAt, data), null);
				case ORDER -> new Read(workspaceId, null, null,
						order(workspaceId, recordId, connectorId, source, pulledAt, data));
				case CUSTOMER -> new Read(workspaceId, null, null,
						customer(workspaceId, recordId, connectorId, source, pulledAt, data));
				// GA4 report rows have no consumer in the pipeline yet: kept, with the
				// raw
				// value, in etl.rejected_event rather than dropped
				case ANALYTICS_REPORT_ROW ->
					Read.rejected(workspaceId, "kind analytics-report-row is not consumed by the pipeline yet");
			};
		}
		catch (Invalid ex) {
			return Read.rejected(workspaceId, ex.getMessage());
		}
	}

	private static CampaignDay campaignDay(String workspaceId, UUID recordId, String source, Instant pulledAt,
			JsonNode data) {
		LocalDate day;
		try {
			day = LocalDate.parse(required(data, "date", "data."));
		}
		catch (DateTimeParseException ex) {
			throw new Invalid("data.date is not an ISO date");
		}
		String currency = currency(data, "data.");
		String name = text(data, "campaignName");
		return new CampaignDay(workspaceId, recordId, source, limited(required(data, "accountId", "data."), 255),
				limited(required(data, "campaignId", "data."), 255), (name != null) ? limited(name, 500) : null, day,
				currency, amount(data, "spend", "data.", true), count(data, "impressions"), count(data, "clicks"),
				amount(data, "conversions", "data.", true), amount(data, "conversionValue", "data.", true), pulledAt);
	}

	private static String order(String workspaceId, UUID recordId, String connectorId, String source, Instant pulledAt,
			JsonNode data) {
		String orderId = required(data, "orderId", "data.");
		Instant createdAt = instant(data, "createdAt", "data.");
		String currency = currency(data, "data.");
		BigDecimal total = amount(data, "total", "data.", false);
		JsonNode lines = data.get("lineItems");
		if (lines == null || !lines.isArray()) {
			throw new Invalid("data.lineItems is missing or not an array");
		}
		ArrayNode products = JSON.createArrayNode();
		for (int i = 0; i < lines.size(); i++) {
			JsonNode line = lines.get(i);
			String at = "data.lineItems[" + i + "].";
			if (!line.isObject()) {
				throw new Invalid(at.substring(0, at.length() - 1) + " is not an object");
			}
			String sku = required(line, "sku", at);
			JsonNode quantity = line.get("quantity");
			if (quantity == null || !quantity.canConvertToLong() || !quantity.isIntegralNumber()) {
				throw new Invalid(at + "quantity is not an integer");
			}
			ObjectNode product = products.addObject();
			String productId = text(line, "productId");
			product.put("product_id", (productId != null) ? productId : sku);
			product.put("sku", sku);
			if (text(line, "name") != null) {
				product.put("name", text(line, "name"));
			}
			product.put("price", amount(line, "unitPrice", at, false));
			product.put("quantity", quantity.longValue());
		}
		JsonNode customer = data.get("customer");
		if (customer == null || !customer.isObject()) {
			throw new Invalid("data.customer is missing or not an object");
		}
		if (text(customer, "customerId") == null && text(customer, "email") == null
				&& text(customer, "phone") == null) {
			throw new Invalid("data.customer has none of customerId, email, phone");
		}
		ObjectNode properties = JSON.createObjectNode();
		properties.put("order_id", orderId);
		if (text(data, "orderNumber") != null) {
			properties.put("order_number", text(data, "orderNumber"));
		}
		properties.put("revenue", total);
		properties.put("total", total);
		properties.put("currency", currency);
		if (text(data, "status") != null) {
			properties.put("status", text(data, "status"));
		}
		properties.put("source", source);
		properties.set("products", products);
		ObjectNode payload = JSON.createObjectNode().put("event", "Order Completed");
		payload.set("properties", properties);
		UUID eventId = name("order-event", recordId.toString());
		return envelope(eventId, "track", createdAt, pulledAt, workspaceId, connectorId, source, recordId, "order",
				context(source, customer), payload);
	}

	private static String customer(String workspaceId, UUID recordId, String connectorId, String source,
			Instant pulledAt, JsonNode data) {
		required(data, "customerId", "data.");
		Instant updatedAt = optionalInstant(data, "updatedAt");
		Instant createdAt = optionalInstant(data, "createdAt");
		JsonNode traits = data.get("traits");
		if (traits != null && !traits.isNull() && !traits.isObject()) {
			throw new Invalid("data.traits is not an object");
		}
		// one identify per version of the customer: by its updatedAt, else by its content
		String version = (updatedAt != null) ? updatedAt.toString()
				: io.lodestar.contracts.identity.Identifiers.sha256(data.toString());
		ObjectNode payload = JSON.createObjectNode();
		payload.set("traits", (traits != null && traits.isObject()) ? traits : JSON.createObjectNode());
		Instant at = (updatedAt != null) ? updatedAt : (createdAt != null) ? createdAt : pulledAt;
		return envelope(name("customer-event", recordId + ":" + version), "identify", at, pulledAt, workspaceId,
				connectorId, source, recordId, "customer", context(source, data), payload);
	}

	/**
	 * The customer's identifiers where the identity graph reads them: the customer id as
	 * a {@code <source>_customer_id} external id, email and phone in the context's traits
	 * (identifiers, not stored as traits).
	 */
	private static ObjectNode context(String source, JsonNode customer) {
		ObjectNode context = JSON.createObjectNode();
		String customerId = text(customer, "customerId");
		if (customerId != null) {
			context.putArray("externalIds")
				.addObject()
				.put("type", source + "_customer_id")
				.put("id", customerId)
				.put("collection", "users")
				.put("encoding", "none");
		}
		ObjectNode traits = JSON.createObjectNode();
		if (text(customer, "email") != null) {
			traits.put("email", text(customer, "email"));
		}
		if (text(customer, "phone") != null) {
			traits.put("phone", text(customer, "phone"));
		}
		if (!traits.isEmpty()) {
			context.set("traits", traits);
		}
		return context;
	}

	private static String envelope(UUID eventId, String type, Instant occurredAt, Instant receivedAt,
			String workspaceId, String connectorId, String source, UUID recordId, String kind, ObjectNode context,
			ObjectNode payload) {
		context.putObject("connector")
			.put("id", connectorId)
			.put("source", source)
			.put("kind", kind)
			.put("recordId", recordId.toString());
		ObjectNode envelope = JSON.createObjectNode()
			.put("eventId", eventId.toString())
			.put("type", type)
			.put("schemaVersion", "1-0-0")
			.put("occurredAt", occurredAt.toString())
			.put("receivedAt", receivedAt.toString())
			.put("workspaceId", workspaceId)
			.put("sourceId", source)
			.put("messageId", kind + ":" + recordId);
		envelope.putObject("identity");
		envelope.set("context", context);
		envelope.set("payload", payload);
		return envelope.toString();
	}

	private static UUID name(String what, String key) {
		return UUID.nameUUIDFromBytes(("lodestar:" + what + ":" + key).getBytes(StandardCharsets.UTF_8));
	}

	private static String currency(JsonNode node, String at) {
		String currency = required(node, "currency", at);
		if (!CURRENCY.matcher(currency).matches()) {
			throw new Invalid(at + "currency is not a three-letter ISO code");
		}
		return currency;
	}

	private static BigDecimal amount(JsonNode node, String field, String at, boolean nonNegative) {
		JsonNode value = node.get(field);
		if (value == null || !value.isNumber()) {
			throw new Invalid(at + field + " is missing or not a number");
		}
		BigDecimal amount = value.decimalValue();
		if (amount.abs().compareTo(LIMIT) >= 0) {
			throw new Invalid(at + field + " is too large");
		}
		if (nonNegative && amount.signum() < 0) {
			throw new Invalid(at + field + " is negative");
		}
		return amount;
	}

	private static long count(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
			throw new Invalid("data." + field + " is missing or not a whole number >= 0");
		}
		return value.longValue();
	}

	private static UUID uuid(JsonNode node, String field) {
		try {
			return UUID.fromString(required(node, field, ""));
		}
		catch (IllegalArgumentException ex) {
			throw new Invalid(field + " is not a UUID");
		}
	}

	private static Instant instant(JsonNode node, String field, String at) {
		try {
			return Instant.parse(required(node, field, at));
		}
		catch (DateTimeParseException ex) {
			throw new Invalid(at + field + " is not an ISO-8601 instant");
		}
	}

	private static Instant optionalInstant(JsonNode node, String field) {
		if (text(node, field) == null) {
			return null;
		}
		return instant(node, field, "data.");
	}

	private static String required(JsonNode node, String field, String at) {
		String value = text(node, field);
		if (value == null) {
			throw new Invalid(at + field + " is missing or not a string");
		}
		return value;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isTextual() && !value.asText().isBlank()) ? value.asText().strip() : null;
	}

	private static String limited(String value, int max) {
		return (value.length() <= max) ? value : value.substring(0, max);
	}

	private static final class Invalid extends RuntimeException {

		Invalid(String message) {
			super(message, null, false, false);
		}

	}

}
