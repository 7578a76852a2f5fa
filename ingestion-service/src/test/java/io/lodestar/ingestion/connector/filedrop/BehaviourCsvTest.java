package io.lodestar.ingestion.connector.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.ingestion.connector.MalformedPageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BehaviourCsvTest {

	private static final Instant READ = Instant.parse("2026-11-24T03:00:00Z");

	@Test
	void realRowsBecomeTrackEventsWithTheirUserAndProduct() throws IOException {
		List<EventEnvelope> events = read("kaggle_mkechinov_2019-Oct_head.csv", READ);

		assertThat(events).hasSize(5);
		EventEnvelope first = events.get(0);
		assertThat(first.type()).isEqualTo("track");
		assertThat(first.occurredAt()).isEqualTo(Instant.parse("2019-10-01T00:00:00Z"));
		assertThat(first.identity().userId()).isEqualTo("541312140");
		assertThat(first.identity().anonymousId()).isEqualTo("72d76fde-8bb3-4e00-8c23-a032dfed738c");
		assertThat(first.payload()).containsEntry("event", "Product Viewed");
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = (Map<String, Object>) first.payload().get("properties");
		assertThat(properties).containsEntry("productId", "44600062")
			.containsEntry("categoryId", "2103807459595387724")
			.containsEntry("brand", "shiseido")
			.containsEntry("price", new BigDecimal("35.79"))
			.doesNotContainKey("categoryCode");
	}

	@Test
	void funnelEventTypesMapToTheSemanticEventNames() throws IOException {
		List<EventEnvelope> events = read("kaggle_mkechinov_synthetic_funnel_rows.csv", READ);

		assertThat(events).extracting((event) -> event.payload().get("event"))
			.containsExactly("Product Viewed", "Product Added", "Order Completed");
	}

	@Test
	void reImportingTheSameFileYieldsTheSameEventIds() throws IOException {
		List<EventEnvelope> first = read("kaggle_mkechinov_2019-Oct_head.csv", READ);
		List<EventEnvelope> again = read("kaggle_mkechinov_2019-Oct_head.csv", READ.plusSeconds(3600));

		assertThat(again).extracting(EventEnvelope::eventId)
			.containsExactlyElementsOf(first.stream().map(EventEnvelope::eventId).toList())
			.doesNotHaveDuplicates();
	}

	@Test
	void malformedRowsFailNamingLineAndColumn() {
		String good = "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,s-1";

		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> BehaviourCsv.toEvent(good.replace("35.79", "cheap"), 7, "demo", "fd", READ))
			.withMessage("line 7 price is not a number");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> BehaviourCsv.toEvent(good.replace(",view,", ",click,"), 8, "demo", "fd", READ))
			.withMessageContaining("line 8 event_type");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> BehaviourCsv.toEvent(good.substring(0, 40), 9, "demo", "fd", READ))
			.withMessageContaining("line 9 has");
		assertThatExceptionOfType(MalformedPageException.class)
			.isThrownBy(() -> BehaviourCsv.toEvent(good.replace("2019-10-01 00:00:00 UTC", "yesterday"), 10, "demo",
					"fd", READ))
			.withMessageContaining("line 10 event_time");
		assertThatExceptionOfType(MalformedPageException.class).isThrownBy(() -> BehaviourCsv.checkHeader("a,b,c"))
			.withMessageContaining("header");
	}

	private static List<EventEnvelope> read(String name, Instant readAt) throws IOException {
		try (InputStream in = BehaviourCsvTest.class.getResourceAsStream("/fixtures/connectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
			BehaviourCsv.checkHeader(lines.get(0));
			return java.util.stream.IntStream.range(1, lines.size())
				.filter((i) -> !lines.get(i).isBlank())
				.mapToObj((i) -> BehaviourCsv.toEvent(lines.get(i), i + 1, "demo", "file-drop", readAt))
				.toList();
		}
	}

}
