package io.lodestar.ingestion.connector.shopify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shopify} end to end over the GraphQL Admin API replayed by WireMock: orders and
 * customers configured through the API, run by the scheduler, asserted on the broker.
 */
class ShopifyConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-shop";

	private static final String GRAPHQL = "/admin/api/2024-10/graphql.json";

	private static final String FIRST_CURSOR = "eyJsYXN0X2lkIjo0NTA3ODk0NjksImxhc3RfdmFsdWUiOiIyMDI0LTA2LTAxIDEwOjAwOjAwLjAwMDAwMCJ9";

	@BeforeEach
	void now() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		SLEEPER.clear();
	}

	@Test
	void ordersAndCustomersArePagedToTheEndAndTheSecondRunReadsOnlyWhatChanged() {
		String token = "shpat_" + UUID.randomUUID();
		stub(token,
				orders().withRequestBody(matchingJsonPath("$.variables[?(@.after == null)]"))
					.withRequestBody(matchingJsonPath("$.variables[?(@.query == null)]")),
				fixture("shopify_orders_graphql_response.json"));
		stub(token, orders().withRequestBody(matchingJsonPath("$.variables.after", WireMock.equalTo(FIRST_CURSOR))),
				secondOrdersPage());
		stub(token, customers().withRequestBody(matchingJsonPath("$.variables[?(@.query == null)]")),
				fixture("shopify_customers_graphql_response.json"));
		String id = shop(token, "{\"shopDomain\":\"lodestar-demo.myshopify.com\"}");

		JsonNode first = runNow(WS, id);

		assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
		assertThat(first.get("pages").asInt()).isEqualTo(3);
		List<ConnectorRecord> records = records(id);
		assertThat(records).extracting(ConnectorRecord::naturalKey)
			.containsExactlyInAnyOrder("gid://shopify/Order/450789469", "gid://shopify/Order/450789470",
					"gid://shopify/Customer/207119551");
		ConnectorRecord order = records.stream()
			.filter((r) -> r.naturalKey().equals("gid://shopify/Order/450789469"))
			.findFirst()
			.orElseThrow();
		assertThat(order.kind()).isEqualTo("order");
		assertThat(order.data()).containsEntry("currency", "USD").containsEntry("status", "PARTIALLY_REFUNDED");
		assertThat(((Number) order.data().get("total")).doubleValue()).isEqualTo(598.94);
		assertThat((List<?>) order.data().get("lineItems")).hasSize(2);
		assertThat(order.data().get("customer"))
			.isEqualTo(Map.of("customerId", "gid://shopify/Customer/207119551", "email", "bob.norman@hostmail.com"));
		ConnectorRecord customer = records.stream()
			.filter((r) -> r.kind().equals("customer"))
			.findFirst()
			.orElseThrow();
		assertThat(customer.data()).containsEntry("email", "bob.norman@hostmail.com")
			.containsEntry("phone", "555-625-1199");
		assertThat(JSON.readTree(connector(WS, id).get("watermark").asString()).toString())
			.isEqualTo("{\"orders\":\"2024-06-01T12:00:00Z\",\"customers\":\"2024-06-01T10:00:00Z\"}");

		stub(token,
				orders().withRequestBody(
						matchingJsonPath("$.variables.query", WireMock.equalTo("updated_at:>='2024-06-01T11:50:00Z'"))),
				refundedOrderPage());
		stub(token,
				customers().withRequestBody(
						matchingJsonPath("$.variables.query", WireMock.equalTo("updated_at:>='2024-06-01T09:50:00Z'"))),
				"{\"data\":{\"customers\":{\"edges\":[],\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":null}}}}");
		CLOCK.set(Instant.parse("2024-06-03T12:00:00Z"));

		JsonNode second = runNow(WS, id);

		assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("succeeded");
		assertThat(second.get("rows").asLong()).isEqualTo(1);
		List<ConnectorRecord> all = records(id);
		assertThat(all).hasSize(4);
		ConnectorRecord refunded = all.stream()
			.filter((r) -> "REFUNDED".equals(r.data().get("status")))
			.findFirst()
			.orElseThrow();
		assertThat(refunded.recordId()).isEqualTo(order.recordId());
		assertThat(JSON.readTree(connector(WS, id).get("watermark").asString()).get("orders").asString())
			.isEqualTo("2024-06-02T08:00:00Z");
	}

	@Test
	void costThrottlingAndA429AreWaitedOutAsShopifyAsks() {
		String token = "shpat_" + UUID.randomUUID();
		String scenario = "shopify-throttle-" + UUID.randomUUID();
		SOURCE.stubFor(orders().atPriority(1)
			.withHeader("X-Shopify-Access-Token", WireMock.equalTo(token))
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("limited")
			.willReturn(aResponse().withStatus(200).withBody(fixture("shopify_graphql_throttled_response.json"))));
		SOURCE.stubFor(orders().atPriority(1)
			.withHeader("X-Shopify-Access-Token", WireMock.equalTo(token))
			.inScenario(scenario)
			.whenScenarioStateIs("limited")
			.willSetStateTo("open")
			.willReturn(aResponse().withStatus(429)
				.withHeader("Retry-After", "2.0")
				.withBody(fixture("shopify_rest_429_response.json"))));
		SOURCE.stubFor(orders().atPriority(1)
			.withHeader("X-Shopify-Access-Token", WireMock.equalTo(token))
			.inScenario(scenario)
			.whenScenarioStateIs("open")
			.willReturn(aResponse().withStatus(200).withBody(secondOrdersPage())));
		String id = shop(token, "{\"shopDomain\":\"lodestar-demo.myshopify.com\",\"resources\":[\"orders\"]}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("retries").asInt()).isEqualTo(2);
		// (202 requested - 118 available) / 100 restored per second, then Retry-After:
		// 2.0
		assertThat(SLEEPER.waits()).containsExactly(Duration.ofMillis(840), Duration.ofSeconds(2));
	}

	@Test
	void aRevokedTokenFailsTheRunWithAClearMessage() {
		String token = "shpat_" + UUID.randomUUID();
		SOURCE.stubFor(post(urlPathEqualTo(GRAPHQL)).atPriority(1)
			.withHeader("X-Shopify-Access-Token", WireMock.equalTo(token))
			.willReturn(aResponse().withStatus(401).withBody(fixture("shopify_rest_401_response.json"))));
		String id = shop(token, "{\"shopDomain\":\"lodestar-demo.myshopify.com\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).isEqualTo(
				"Authentication failed: Shopify rejected the access token (HTTP 401): reinstall the app or issue a new Admin API token");
		assertThat(run.toString()).doesNotContain(token);
	}

	@Test
	void aPageWithAWrongTypeFailsTheRunNamingTheFieldAndKeepsTheWatermark() {
		String token = "shpat_" + UUID.randomUUID();
		stub(token, orders(),
				fixture("shopify_orders_graphql_response.json").replace("\"quantity\": 1,", "\"quantity\": \"1\","));
		String id = shop(token, "{\"shopDomain\":\"lodestar-demo.myshopify.com\",\"resources\":[\"orders\"]}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString())
			.isEqualTo("Malformed response: edges[0].node.lineItems.edges[0].node.quantity is not an integer");
		assertThat(connector(WS, id).get("watermark").isNull()).isTrue();
		assertThat(records(id)).isEmpty();
	}

	@Test
	void requestsCarryTheTokenTheQueryAndThePageSize() {
		String token = "shpat_" + UUID.randomUUID();
		stub(token, orders(), secondOrdersPage());
		String id = shop(token,
				"{\"shopDomain\":\"lodestar-demo.myshopify.com\",\"resources\":[\"orders\"],\"startDate\":\"2024-05-01\"}");

		runNow(WS, id);

		LoggedRequest request = SOURCE
			.findAll(postRequestedFor(urlPathEqualTo(GRAPHQL)).withHeader("X-Shopify-Access-Token",
					WireMock.equalTo(token)))
			.get(0);
		JsonNode body = JSON.readTree(request.getBodyAsString());
		assertThat(body.get("query").asString())
			.contains("orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT)");
		assertThat(body.get("variables").get("first").asInt()).isEqualTo(50);
		assertThat(body.get("variables").get("query").asString()).isEqualTo("updated_at:>='2024-05-01T00:00:00Z'");
	}

	private void stub(String token, MappingBuilder request, String body) {
		SOURCE.stubFor(request.atPriority(1)
			.withHeader("X-Shopify-Access-Token", WireMock.equalTo(token))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
	}

	private static MappingBuilder orders() {
		return post(urlPathEqualTo(GRAPHQL)).withRequestBody(containing("query Orders"));
	}

	private static MappingBuilder customers() {
		return post(urlPathEqualTo(GRAPHQL)).withRequestBody(containing("query Customers"));
	}

	/** The fixture's order as a second one, on the last page. */
	private static String secondOrdersPage() {
		return fixture("shopify_orders_graphql_response.json").replace("450789469", "450789470")
			.replace("\"#1001\"", "\"#1002\"")
			.replace("\"updatedAt\": \"2024-06-01T10:00:00Z\"", "\"updatedAt\": \"2024-06-01T12:00:00Z\"")
			.replace("\"hasNextPage\": true", "\"hasNextPage\": false");
	}

	private static String refundedOrderPage() {
		return fixture("shopify_orders_graphql_response.json")
			.replace("\"updatedAt\": \"2024-06-01T10:00:00Z\"", "\"updatedAt\": \"2024-06-02T08:00:00Z\"")
			.replace("PARTIALLY_REFUNDED", "REFUNDED")
			.replace("\"hasNextPage\": true", "\"hasNextPage\": false");
	}

	private String shop(String token, String settings) {
		return create(WS, ShopifyConnector.KIND, "Shop " + UUID.randomUUID(), settings,
				"{\"accessToken\":\"" + token + "\"}");
	}

}
