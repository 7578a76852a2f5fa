package io.lodestar.ingestion.connector.woocommerce;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code woocommerce} end to end against the recorded orders list.
 */
class WooCommerceConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-woo";

	@Test
	void ordersOfEveryStatusArriveWithLineItemsAndTheNextRunAsksOnlyForWhatChanged() {
		CLOCK.set(Instant.parse("2024-06-02T12:00:00Z"));
		String id = create(WS, WooCommerceConnector.KIND, "Woo " + UUID.randomUUID(),
				"{\"storeUrl\":\"" + SOURCE.baseUrl() + "\",\"startDate\":\"2017-01-01\"}",
				"{\"consumerKey\":\"ck_test\",\"consumerSecret\":\"cs_test\"}");

		JsonNode first = runNow(WS, id);
		JsonNode second = runNow(WS, id);

		assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
		List<ConnectorRecord> records = records(id);
		ConnectorRecord order = records.stream().filter((r) -> r.naturalKey().equals("727")).findFirst().orElseThrow();
		assertThat(order.kind()).isEqualTo("order");
		assertThat(order.data()).containsEntry("status", "processing")
			.containsEntry("currency", "USD")
			.containsEntry("createdAt", "2017-03-22T19:28:02Z");
		assertThat(((Number) order.data().get("total")).doubleValue()).isEqualTo(29.35);
		assertThat(((Map<?, ?>) order.data().get("customer")).get("email")).isEqualTo("john.doe@example.com");
		assertThat((List<?>) order.data().get("lineItems")).isNotEmpty();
		assertThat(first.get("watermarkAfter").asString()).isEqualTo(second.get("watermarkBefore").asString());
		List<String> modifiedAfter = SOURCE.findAll(getRequestedFor(urlPathEqualTo("/wp-json/wc/v3/orders")))
			.stream()
			.filter((r) -> r.queryParameter("modified_after").isPresent())
			.map((r) -> r.queryParameter("modified_after").firstValue())
			.toList();
		assertThat(modifiedAfter).contains("2017-01-01T00:00",
				Instant.parse(first.get("watermarkAfter").asString()).minusSeconds(600).toString().replace("Z", ""));
		assertThat(records.stream().map(ConnectorRecord::recordId).distinct().count()).isEqualTo(2);
	}

	@Test
	void aKeyWithoutReadAccessFailsTheRun() {
		SOURCE.stubFor(get(urlPathEqualTo("/wp-json/wc/v3/orders")).atPriority(1)
			.withBasicAuth("ck_denied", "cs_denied")
			.willReturn(aResponse().withStatus(401).withBody(fixture("woocommerce_error_401.json"))));
		String id = create(WS, WooCommerceConnector.KIND, "Woo " + UUID.randomUUID(),
				"{\"storeUrl\":\"" + SOURCE.baseUrl() + "\"}",
				"{\"consumerKey\":\"ck_denied\",\"consumerSecret\":\"cs_denied\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("error").asString()).isEqualTo(
				"Authentication failed: WooCommerce refused the consumer key (HTTP 401, woocommerce_rest_cannot_view): it needs read access");
	}

}
