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

/**
 * One page of the GraphQL {@code customers(first:, after:, query:"updated_at:>='…'",
 * sortKey: UPDATED_AT)} query read into customer records: the customer GID as natural
 * key, email and phone as identifiers, the rest as traits.
 *
 * @param records the page's customers
 * @param endCursor the cursor of the next page, empty on the last page
 * @param maxUpdatedAt the newest {@code updatedAt} on the page, for the watermark
 * @param pause how long to wait before the next request so its cost is available
 */
public record ShopifyCustomersPage(List<ConnectorRecord> records, Optional<String> endCursor,
		Optional<Instant> maxUpdatedAt, Duration pause) {

	/** The GraphQL query, variables {@code first}, {@code after}, {@code query}. */
	public static final String QUERY = "query Customers($first: Int!, $after: String, $query: String) { "
			+ "customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { edges { cursor node { "
			+ "id legacyResourceId email phone firstName lastName state verifiedEmail tags createdAt updatedAt "
			+ "numberOfOrders amountSpent { amount currencyCode } "
			+ "defaultAddress { city provinceCode countryCodeV2 zip phone } } } pageInfo { hasNextPage endCursor } } }";

	/**
	 * Reads a page.
	 * @param json the mapper
	 * @param body the response body
	 * @param workspaceId the connector's workspace
	 * @param connectorId the connector
	 * @param pulledAt when it was read
	 * @return the page
	 * @throws io.lodestar.ingestion.connector.ratelimit.ThrottledException if Shopify
	 * throttled the query
	 * @throws MalformedPageException if the body is not a page of customers
	 */
	public static ShopifyCustomersPage parse(JsonMapper json, String body, String workspaceId, String connectorId,
			Instant pulledAt) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("Shopify customers page is not valid JSON (truncated?)", ex);
		}
		Duration pause = ShopifyOrdersPage.costWait(root.path("extensions").path("cost"));
		ShopifyOrdersPage.throwOnErrors(root, pause);
		JsonNode customers = root.path("data").path("customers");
		JsonNode edges = customers.get("edges");
		if (edges == null || !edges.isArray()) {
			throw new MalformedPageException("Shopify customers page has no 'data.customers.edges' array");
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
		JsonNode pageInfo = customers.path("pageInfo");
		JsonNode hasNext = pageInfo.get("hasNextPage");
		if (hasNext == null || !hasNext.isBoolean()) {
			throw new MalformedPageException("Shopify customers page has no boolean 'pageInfo.hasNextPage'");
		}
		Optional<String> cursor = Optional.empty();
		if (hasNext.booleanValue()) {
			JsonNode end = pageInfo.get("endCursor");
			if (end == null || !end.isString() || end.stringValue().isBlank()) {
				throw new MalformedPageException("pageInfo.endCursor is missing or not a string");
			}
			cursor = Optional.of(end.stringValue());
		}
		return new ShopifyCustomersPage(records, cursor, Optional.ofNullable(maxUpdated), pause);
	}

	private static ConnectorRecord toRecord(JsonNode node, String at, Instant updatedAt, String workspaceId,
			String connectorId, Instant pulledAt) {
		JsonNode id = node.get("id");
		if (id == null || !id.isString() || id.stringValue().isBlank()) {
			throw new MalformedPageException(at + ".id is missing or not a string");
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("customerId", id.stringValue());
		putText(data, "email", node.get("email"));
		String phone = text(node.get("phone"));
		if (phone == null) {
			phone = text(node.path("defaultAddress").get("phone"));
		}
		if (phone != null) {
			data.put("phone", phone);
		}
		data.put("createdAt", instant(node, "createdAt", at).toString());
		data.put("updatedAt", updatedAt.toString());
		Map<String, Object> traits = new LinkedHashMap<>();
		putText(traits, "firstName", node.get("firstName"));
		putText(traits, "lastName", node.get("lastName"));
		putText(traits, "state", node.get("state"));
		if (node.path("verifiedEmail").isBoolean()) {
			traits.put("verifiedEmail", node.get("verifiedEmail").booleanValue());
		}
		JsonNode orders = node.get("numberOfOrders");
		if (orders != null && !orders.isNull()) {
			try {
				traits.put("ordersCount", Long.parseLong(orders.asString()));
			}
			catch (NumberFormatException ex) {
				throw new MalformedPageException(at + ".numberOfOrders is not an integer");
			}
		}
		JsonNode spent = node.path("amountSpent");
		if (spent.hasNonNull("amount")) {
			try {
				traits.put("totalSpent", new BigDecimal(spent.get("amount").asString()));
			}
			catch (NumberFormatException ex) {
				throw new MalformedPageException(at + ".amountSpent.amount is not a decimal");
			}
			putText(traits, "currency", spent.get("currencyCode"));
		}
		JsonNode tags = node.get("tags");
		if (tags != null && tags.isArray() && !tags.isEmpty()) {
			List<String> list = new ArrayList<>();
			tags.forEach((tag) -> list.add(tag.asString()));
			traits.put("tags", list);
		}
		JsonNode address = node.path("defaultAddress");
		putText(traits, "city", address.get("city"));
		putText(traits, "province", address.get("provinceCode"));
		putText(traits, "country", address.get("countryCodeV2"));
		data.put("traits", traits);
		return ConnectorRecord.of(ConnectorRecordKind.CUSTOMER, workspaceId, connectorId, ShopifyOrdersPage.SOURCE,
				id.stringValue(), pulledAt, data);
	}

	private static void putText(Map<String, Object> into, String name, JsonNode value) {
		String text = text(value);
		if (text != null) {
			into.put(name, text);
		}
	}

	private static String text(JsonNode value) {
		return (value != null && value.isString() && !value.stringValue().isBlank()) ? value.stringValue() : null;
	}

	private static Instant instant(JsonNode node, String field, String at) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new MalformedPageException(at + "." + field + " is missing or not a string");
		}
		try {
			return Instant.parse(value.stringValue());
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException(at + "." + field + " is not an ISO-8601 instant");
		}
	}

}
