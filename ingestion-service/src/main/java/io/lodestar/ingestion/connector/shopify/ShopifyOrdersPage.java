package io.lodestar.ingestion.connector.shopify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * One page of the GraphQL {@code orders(first:, after:, query:"updated_at:>='…'",
 * sortKey: UPDATED_AT)} query read into order records. Money arrives as decimal strings
 * in {@code shopMoney}; throttling is reported in {@code extensions.cost} with HTTP 200
 * or 429.
 *
 * @param records the page's orders
 * @param endCursor the cursor to ask for the next page with, empty on the last page
 * @param maxUpdatedAt the newest {@code updatedAt} on the page, for the watermark
 * @param pause how long to wait before the next request so its cost is available
 */
public record ShopifyOrdersPage(List<ConnectorRecord> records, Optional<String> endCursor,
		Optional<Instant> maxUpdatedAt, Duration pause) {

	/** The source kind on the records. */
	public static final String SOURCE = "shopify";

	/**
	 * Reads a page.
	 * @param json the mapper
	 * @param body the response body
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param pulledAt when it was read
	 * @return the page
	 * @throws ThrottledException if Shopify throttled the query (wait until its cost is
	 * restored)
	 * @throws MalformedPageException if the body is not a page of orders
	 */
	public static ShopifyOrdersPage parse(JsonMapper json, String body, String workspaceId, String connectorId,
			Instant pulledAt) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("Shopify orders page is not valid JSON (truncated?)", ex);
		}
		Duration pause = costWait(root.path("extensions").path("cost"));
		throwOnErrors(root, pause);
		JsonNode orders = root.path("data").path("orders");
		JsonNode edges = orders.get("edges");
		if (edges == null || !edges.isArray()) {
			throw new MalformedPageException("Shopify orders page has no 'data.orders.edges' array");
		}
		List<ConnectorRecord> records = new ArrayList<>(edges.size());
		Instant maxUpdated = null;
		int index = 0;
		for (JsonNode edge : edges) {
			String at = "edges[" + index++ + "].node";
			JsonNode node = edge.get("node");
			if (node == null || !node.isObject()) {
				throw new MalformedPageException(at + " is missing");
			}
			Instant updatedAt = instant(node, "updatedAt", at);
			maxUpdated = (maxUpdated == null || updatedAt.isAfter(maxUpdated)) ? updatedAt : maxUpdated;
			records.add(toRecord(node, at, updatedAt, workspaceId, connectorId, pulledAt));
		}
		JsonNode pageInfo = orders.path("pageInfo");
		JsonNode hasNext = pageInfo.get("hasNextPage");
		if (hasNext == null || !hasNext.isBoolean()) {
			throw new MalformedPageException("Shopify orders page has no boolean 'pageInfo.hasNextPage'");
		}
		Optional<String> cursor = Optional.empty();
		if (hasNext.booleanValue()) {
			cursor = Optional.of(text(pageInfo, "endCursor", "pageInfo"));
		}
		return new ShopifyOrdersPage(records, cursor, Optional.ofNullable(maxUpdated), pause);
	}

	/** The GraphQL query, variables {@code first}, {@code after}, {@code query}. */
	public static final String QUERY = "query Orders($first: Int!, $after: String, $query: String) { "
			+ "orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { edges { cursor node { "
			+ "id legacyResourceId name email createdAt updatedAt processedAt cancelledAt displayFinancialStatus "
			+ "displayFulfillmentStatus currencyCode totalPriceSet { shopMoney { amount currencyCode } } "
			+ "subtotalPriceSet { shopMoney { amount currencyCode } } totalDiscountsSet { shopMoney { amount currencyCode } } "
			+ "customer { id email firstName lastName } lineItems(first: 50) { edges { node { id sku name quantity "
			+ "originalUnitPriceSet { shopMoney { amount currencyCode } } variant { id } product { id } } } } } } "
			+ "pageInfo { hasNextPage endCursor } } }";

	/**
	 * Throws for a GraphQL answer with {@code errors}: throttled (wait until the cost is
	 * restored) or anything else.
	 * @param root the answer
	 * @param pause the wait the cost bucket needs
	 */
	static void throwOnErrors(JsonNode root, Duration pause) {
		JsonNode errors = root.get("errors");
		if (errors == null || errors.isNull() || (errors.isArray() && errors.isEmpty())) {
			return;
		}
		if (errors.isArray()) {
			for (JsonNode error : errors) {
				if ("THROTTLED".equals(error.path("extensions").path("code").asString(""))) {
					throw new ThrottledException(Throttle.retryAfter(pause, "Shopify query cost throttled"));
				}
			}
			String code = errors.get(0).path("extensions").path("code").asString("");
			if ("ACCESS_DENIED".equals(code)) {
				throw new io.lodestar.ingestion.connector.SourceAuthenticationException(
						"Shopify denied access (ACCESS_DENIED): the app needs the read_orders and read_customers scopes");
			}
			throw new IllegalStateException(
					"Shopify GraphQL answered with errors, code " + (code.isEmpty() ? "unknown" : code));
		}
		throw new IllegalStateException("Shopify answered with an error");
	}

	/**
	 * How long until the bucket holds the requested cost again:
	 * {@code (requested - available) / restoreRate} seconds, rounded up to milliseconds.
	 * @param cost {@code extensions.cost}
	 * @return the wait, zero if enough is available or nothing was reported
	 */
	static Duration costWait(JsonNode cost) {
		double requested = cost.path("requestedQueryCost").asDouble(0);
		JsonNode status = cost.path("throttleStatus");
		double available = status.path("currentlyAvailable").asDouble(Double.MAX_VALUE);
		double restoreRate = status.path("restoreRate").asDouble(0);
		if (requested <= available || restoreRate <= 0) {
			return Duration.ZERO;
		}
		return Duration.ofMillis((long) Math.ceil((requested - available) / restoreRate * 1000));
	}

	private static ConnectorRecord toRecord(JsonNode node, String at, Instant updatedAt, String workspaceId,
			String connectorId, Instant pulledAt) {
		String id = text(node, "id", at);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("orderId", id);
		if (node.hasNonNull("name")) {
			data.put("orderNumber", node.get("name").asString());
		}
		data.put("createdAt", instant(node, "createdAt", at).toString());
		data.put("updatedAt", updatedAt.toString());
		if (node.hasNonNull("displayFinancialStatus")) {
			data.put("status", node.get("displayFinancialStatus").asString());
		}
		data.put("currency", text(node, "currencyCode", at));
		data.put("total", money(node.path("totalPriceSet"), at + ".totalPriceSet"));
		List<Map<String, Object>> lines = new ArrayList<>();
		JsonNode lineEdges = node.path("lineItems").get("edges");
		if (lineEdges == null || !lineEdges.isArray()) {
			throw new MalformedPageException(at + ".lineItems.edges is not an array");
		}
		int index = 0;
		for (JsonNode lineEdge : lineEdges) {
			String lineAt = at + ".lineItems.edges[" + index++ + "].node";
			JsonNode line = lineEdge.path("node");
			JsonNode quantity = line.get("quantity");
			if (quantity == null || !quantity.isIntegralNumber()) {
				throw new MalformedPageException(lineAt + ".quantity is not an integer");
			}
			Map<String, Object> item = new LinkedHashMap<>();
			String sku = line.path("sku").asString("");
			item.put("sku", sku.isBlank() ? line.path("variant").path("id").asString(text(line, "id", lineAt)) : sku);
			if (line.path("product").hasNonNull("id")) {
				item.put("productId", line.path("product").get("id").asString());
			}
			if (line.hasNonNull("name")) {
				item.put("name", line.get("name").asString());
			}
			item.put("quantity", quantity.longValue());
			item.put("unitPrice", money(line.path("originalUnitPriceSet"), lineAt + ".originalUnitPriceSet"));
			lines.add(item);
		}
		data.put("lineItems", lines);
		Map<String, Object> customer = new LinkedHashMap<>();
		JsonNode source = node.path("customer");
		if (source.hasNonNull("id")) {
			customer.put("customerId", source.get("id").asString());
		}
		String email = source.hasNonNull("email") ? source.get("email").asString() : node.path("email").asString("");
		if (!email.isBlank()) {
			customer.put("email", email);
		}
		data.put("customer", customer);
		return ConnectorRecord.of(ConnectorRecordKind.ORDER, workspaceId, connectorId, SOURCE, id, pulledAt, data);
	}

	private static BigDecimal money(JsonNode set, String at) {
		String amount = set.path("shopMoney").path("amount").asString("");
		try {
			return new BigDecimal(amount);
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException(at + ".shopMoney.amount is not a decimal");
		}
	}

	private static Instant instant(JsonNode node, String field, String at) {
		try {
			return Instant.parse(text(node, field, at));
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException(at + "." + field + " is not an ISO-8601 instant");
		}
	}

	private static String text(JsonNode node, String field, String at) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString() || value.stringValue().isBlank()) {
			throw new MalformedPageException(at + "." + field + " is missing or not a string");
		}
		return value.stringValue();
	}

}
