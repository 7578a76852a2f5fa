package io.lodestar.ingestion.connector.filedrop;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The column mapping on the real Online Retail header and lines.
 */
class CsvMappingTest {

	static final String ONLINE_RETAIL = """
			{"type":"track","event":"Order Completed","userId":"customer_id",
			 "fallbackAnonymousId":{"column":"invoice_no","prefix":"guest-"},"timestamp":"invoice_date",
			 "properties":{"order_id":"invoice_no","product_id":"stock_code","name":"description",
			   "quantity":{"column":"quantity","type":"integer"},"price":{"column":"unit_price","type":"decimal"},
			   "revenue":{"multiply":["quantity","unit_price"]},"country":"country","currency":{"value":"GBP"}}}""";

	private static final List<String> HEADER = List.of("invoice_no", "stock_code", "description", "quantity",
			"invoice_date", "unit_price", "customer_id", "country");

	private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void anInvoiceLineBecomesAnOrderEventWithTypedProperties() {
		CsvMapping.Bound mapping = mapping(ONLINE_RETAIL).bind(HEADER);
		String line = "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01T08:26:00Z,2.55,17850,United Kingdom";

		EventEnvelope event = mapping.toEvent(List.of(line.split(",")), line, 2, "demo", "c-retail", NOW);

		assertThat(event.type()).isEqualTo("track");
		assertThat(event.identity().userId()).isEqualTo("17850");
		assertThat(event.identity().anonymousId()).isNull();
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2010-12-01T08:26:00Z"));
		assertThat(event.receivedAt()).isEqualTo(NOW);
		assertThat(event.payload()).containsEntry("event", "Order Completed");
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = (Map<String, Object>) event.payload().get("properties");
		assertThat(properties).containsEntry("order_id", "536365")
			.containsEntry("quantity", 6L)
			.containsEntry("price", new BigDecimal("2.55"))
			.containsEntry("revenue", new BigDecimal("15.30"))
			.containsEntry("currency", "GBP")
			.containsEntry("name", "WHITE HANGING HEART T-LIGHT HOLDER");
		assertThat(event.messageId()).startsWith("fd-");
		assertThat(mapping.toEvent(List.of(line.split(",")), line, 9, "demo", "c-other", NOW).eventId())
			.as("the same line imported again is the same event")
			.isEqualTo(event.eventId());
	}

	@Test
	void aGuestLineIsIdentifiedByItsInvoiceAndEmptyCellsAreLeftOut() {
		CsvMapping.Bound mapping = mapping(ONLINE_RETAIL).bind(HEADER);
		String line = "536414,22139,,56,2010-12-01T11:52:00Z,0,,United Kingdom";

		EventEnvelope event = mapping.toEvent(List.of(line.split(",", -1)), line, 3, "demo", "c", NOW);

		assertThat(event.identity().userId()).isNull();
		assertThat(event.identity().anonymousId()).isEqualTo("guest-536414");
		assertThat(((Map<?, ?>) event.payload().get("properties")).containsKey("name")).isFalse();
	}

	@Test
	void aWrongTypeNamesTheLineAndTheColumn() {
		CsvMapping.Bound mapping = mapping(ONLINE_RETAIL).bind(HEADER);
		String line = "536365,85123A,X,six,2010-12-01T08:26:00Z,2.55,17850,United Kingdom";

		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> mapping.toEvent(List.of(line.split(",")), line, 7, "demo", "c", NOW))
			.withMessage("line 7 column 'quantity' is not an integer");
	}

	@Test
	void aHeaderWithoutAMappedColumnIsRefusedWhole() {
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> mapping(ONLINE_RETAIL).bind(List.of("InvoiceNo", "StockCode")))
			.withMessageContaining("'customer_id'")
			.withMessageContaining("named in the mapping");
	}

	@Test
	void aFormattedTimestampInAZoneAndAnEventColumn() {
		CsvMapping.Bound mapping = mapping("""
				{"eventColumn":"what","userId":"who","timestamp":"when","timestampFormat":"dd/MM/yyyy HH:mm",
				 "timeZone":"Europe/London","messageId":["who","when"]}""").bind(List.of("who", "what", "when"));

		EventEnvelope event = mapping.toEvent(List.of("u1", "Signed Up", "01/07/2024 09:30"), "raw", 2, "demo", "c",
				NOW);

		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2024-07-01T08:30:00Z"));
		assertThat(event.payload()).containsEntry("event", "Signed Up");
	}

	@Test
	void mappingErrorsAreReportedPerField() {
		FieldErrors errors = new FieldErrors();

		CsvMapping.parse(this.json.readTree("""
				{"type":"page","properties":{"a":{"column":"x","type":"money"},"b":5},"timeZone":"Mars/Base"}"""),
				errors);

		assertThat(errors.asList()).extracting((error) -> error.get("field"))
			.contains("settings.mapping.type", "settings.mapping.userId", "settings.mapping.timeZone",
					"settings.mapping.properties.a.type", "settings.mapping.properties.b");
	}

	private CsvMapping mapping(String json) {
		FieldErrors errors = new FieldErrors();
		CsvMapping mapping = CsvMapping.parse(this.json.readTree(json), errors);
		assertThat(errors.asList()).isEmpty();
		return mapping;
	}

}
