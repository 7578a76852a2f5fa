package io.lodestar.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.connector.ConnectorRecordKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector record contract from both sides: producers' records validate against
 * their kind's schema, and every released golden sample still deserialises.
 */
class ConnectorRecordContractTest {

	private static final Instant PULLED = Instant.parse("2026-11-21T03:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest
	@EnumSource(ConnectorRecordKind.class)
	void serialisedRecordOfEveryKindIsAcceptedByItsSchema(ConnectorRecordKind kind) {
		ConnectorRecord record = ConnectorRecord.of(kind, "demo", "c-1", "test", "key-1", PULLED, sampleData(kind));

		assertThat(
				SchemaSupport.validate(kind.schemaResource(kind.schemaVersion()), this.json.writeValueAsString(record)))
			.isEmpty();
	}

	@ParameterizedTest
	@EnumSource(ConnectorRecordKind.class)
	void goldenSampleOfEveryReleasedVersionStillDeserialises(ConnectorRecordKind kind) throws IOException {
		String golden = resource("golden/connector/" + kind.id() + "/" + kind.id() + "-1-0-0.json");

		ConnectorRecord record = this.json.readValue(golden, ConnectorRecord.class);

		assertThat(record.kind()).isEqualTo(kind.id());
		assertThat(record.schemaVersion()).isEqualTo("1-0-0");
		assertThat(record.workspaceId()).isEqualTo("demo");
		assertThat(record.pulledAt()).isEqualTo(PULLED);
		assertThat(record.data()).isNotEmpty();
		assertThat(SchemaSupport.validate(kind.schemaResource("1-0-0"), golden)).isEmpty();
	}

	@Test
	void adCampaignDaySchemaRejectsMetricsAsStrings() {
		Map<String, Object> data = new java.util.HashMap<>(sampleData(ConnectorRecordKind.AD_CAMPAIGN_DAY));
		data.put("impressions", "10234");
		ConnectorRecord record = ConnectorRecord.of(ConnectorRecordKind.AD_CAMPAIGN_DAY, "demo", "c-1", "meta-ads", "k",
				PULLED, data);

		assertThat(SchemaSupport.validate(ConnectorRecordKind.AD_CAMPAIGN_DAY.schemaResource("1-0-0"),
				this.json.writeValueAsString(record)))
			.anySatisfy((message) -> assertThat(message.getMessage()).contains("impressions"));
	}

	@Test
	void orderSchemaRejectsAnOrderWithoutAnyCustomerIdentifier() {
		Map<String, Object> data = new java.util.HashMap<>(sampleData(ConnectorRecordKind.ORDER));
		data.put("customer", Map.of());
		ConnectorRecord record = ConnectorRecord.of(ConnectorRecordKind.ORDER, "demo", "c-1", "shopify", "k", PULLED,
				data);

		assertThat(SchemaSupport.validate(ConnectorRecordKind.ORDER.schemaResource("1-0-0"),
				this.json.writeValueAsString(record)))
			.isNotEmpty();
	}

	@Test
	void consumersIgnoreUnknownFields() {
		String withExtras = """
				{"recordId":"6b2f0c4e-3b2d-3c1a-9e8f-7d6c5b4a3f2e","kind":"customer","schemaVersion":"1-1-0",
				 "workspaceId":"demo","connectorId":"c","source":"shopify","naturalKey":"77",
				 "data":{"customerId":"77"},"addedLater":{"x":1}}""";

		ConnectorRecord record = this.json.readValue(withExtras, ConnectorRecord.class);

		assertThat(record.data()).containsEntry("customerId", "77");
	}

	@Test
	void recordIdIsStableAcrossRePullsAndConnectorInstancesAndDiffersAcrossWorkspaces() {
		ConnectorRecord first = ConnectorRecord.of(ConnectorRecordKind.ORDER, "demo", "c-1", "shopify", "5001", PULLED,
				Map.of());
		ConnectorRecord rePulled = ConnectorRecord.of(ConnectorRecordKind.ORDER, "demo", "c-2", "shopify", "5001",
				PULLED.plusSeconds(86_400), Map.of());

		assertThat(rePulled.recordId()).isEqualTo(first.recordId());
		assertThat(rePulled.partitionKey()).isEqualTo(first.partitionKey()).isEqualTo("demo:order:5001");
		assertThat(ConnectorRecord.recordIdFor("other", "shopify", "order", "5001")).isNotEqualTo(first.recordId());
		assertThat(ConnectorRecord.recordIdFor("demo", "shopify", "customer", "5001")).isNotEqualTo(first.recordId());
	}

	@Test
	void analyticsReportRowSchemaRejectsMetricsAsStrings() {
		ConnectorRecord record = ConnectorRecord.of(ConnectorRecordKind.ANALYTICS_REPORT_ROW, "demo", "c-1", "ga4", "k",
				PULLED, Map.of("propertyId", "1", "date", "2024-06-01", "dimensions", Map.of(), "metrics",
						Map.of("eventCount", "14")));

		assertThat(SchemaSupport.validate(ConnectorRecordKind.ANALYTICS_REPORT_ROW.schemaResource("1-0-0"),
				this.json.writeValueAsString(record)))
			.anySatisfy((message) -> assertThat(message.getMessage()).contains("eventCount"));
	}

	@Test
	void kindsAreLookedUpByWireId() {
		assertThat(ConnectorRecordKind.fromId("ad-campaign-day")).contains(ConnectorRecordKind.AD_CAMPAIGN_DAY);
		assertThat(ConnectorRecordKind.fromId("Order")).isEmpty();
	}

	private static Map<String, Object> sampleData(ConnectorRecordKind kind) {
		return switch (kind) {
			case AD_CAMPAIGN_DAY -> Map.of("accountId", "act_1", "campaignId", "120", "date", "2026-11-20", "currency",
					"EUR", "spend", 12.5, "impressions", 1000, "clicks", 20, "conversions", 2, "conversionValue", 80.0);
			case ORDER -> Map.of("orderId", "5001", "createdAt", "2026-11-20T10:15:30Z", "currency", "GBP", "total",
					15.3, "lineItems", List.of(Map.of("sku", "85123A", "quantity", 6, "unitPrice", 2.55)), "customer",
					Map.of("email", "ada@example.com"));
			case CUSTOMER -> Map.of("customerId", "77", "email", "ada@example.com");
			case ANALYTICS_REPORT_ROW ->
				Map.of("propertyId", "123456789", "date", "2024-06-01", "dimensions", Map.of("eventName", "purchase"),
						"metrics", Map.of("eventCount", 14, "purchaseRevenue", 1288.5), "currency", "USD");
		};
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = ConnectorRecordContractTest.class.getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
