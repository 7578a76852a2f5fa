package io.lodestar.ingestion.connector.shopify;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ShopifyOrdersPageTest {

	private static final Instant PULLED = Instant.parse("2026-11-24T03:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void ordersCarryLineItemsMoneyAsDecimalsAndCustomerIdentifiers() throws IOException {
		ShopifyOrdersPage page = parse(fixture("shopify_orders_graphql_response.json"));

		assertThat(page.records()).hasSize(1);
		ConnectorRecord order = page.records().get(0);
		assertThat(order.kind()).isEqualTo("order");
		assertThat(order.naturalKey()).isEqualTo("gid://shopify/Order/450789469");
		assertThat(order.data()).containsEntry("total", new BigDecimal("598.94"))
			.containsEntry("currency", "USD")
			.containsEntry("orderNumber", "#1001")
			.containsEntry("customer",
					Map.of("customerId", "gid://shopify/Customer/207119551", "email", "bob.norman@hostmail.com"));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> lines = (List<Map<String, Object>>) order.data().get("lineItems");
		assertThat(lines).extracting((line) -> line.get("sku")).containsExactly("IPOD2008GREEN", "IPOD2008RED");
		assertThat(lines.get(0)).containsEntry("quantity", 1L).containsEntry("unitPrice", new BigDecimal("199.0"));
		assertThat(page.maxUpdatedAt()).contains(Instant.parse("2024-06-01T10:00:00Z"));
	}

	@Test
	void pagingContinuesWithTheEndCursorAndStopsOnTheLastPage() throws IOException {
		String first = fixture("shopify_orders_graphql_response.json");
		String last = first.replace("\"hasNextPage\": true", "\"hasNextPage\": false");

		assertThat(parse(first).endCursor()).hasValueSatisfying((cursor) -> assertThat(cursor).startsWith("eyJsYXN0"));
		assertThat(parse(last).endCursor()).isEmpty();
	}

	@Test
	void throttledQueryWaitsUntilItsCostIsRestored() throws IOException {
		assertThatExceptionOfType(ThrottledException.class)
			.isThrownBy(() -> parse(fixture("shopify_graphql_throttled_response.json")))
			.satisfies((ex) -> {
				assertThat(ex.throttle().kind()).isEqualTo(Throttle.Kind.RETRY_AFTER);
				// (202 requested - 118 available) / 100 restored per second
				assertThat(ex.throttle().delay()).isEqualTo(Duration.ofMillis(840));
			});
	}

	@Test
	void aPageWithPlentyOfBudgetNeedsNoPause() throws IOException {
		assertThat(parse(fixture("shopify_orders_graphql_response.json")).pause()).isZero();
	}

	@Test
	void malformedPagesFailNamingTheField() throws IOException {
		String body = fixture("shopify_orders_graphql_response.json");

		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> parse(body.substring(0, body.length() - 40)))
			.withMessageContaining("not valid JSON");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> parse(body.replace("\"598.94\"", "\"n/a\"")))
			.withMessage("edges[0].node.totalPriceSet.shopMoney.amount is not a decimal");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> parse(body.replace("\"quantity\": 1,", "\"quantity\": \"one\",")))
			.withMessage("edges[0].node.lineItems.edges[0].node.quantity is not an integer");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> parse(body.replace("\"hasNextPage\": true", "\"hasNextPage\": \"yes\"")))
			.withMessageContaining("hasNextPage");
	}

	private ShopifyOrdersPage parse(String body) {
		return ShopifyOrdersPage.parse(this.json, body, "demo", "c-shop", PULLED);
	}

	private static String fixture(String name) throws IOException {
		try (InputStream in = ShopifyOrdersPageTest.class.getResourceAsStream("/fixtures/connectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
