package io.lodestar.etl.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing Kafka values with the envelope schema, and what makes an event usable or
 * rejected.
 */
class IncomingEventTest {

	private static final StructType KAFKA = new StructType().add("topic", DataTypes.StringType)
		.add("partition", DataTypes.IntegerType)
		.add("offset", DataTypes.LongType)
		.add("value", DataTypes.BinaryType);

	private static SparkSession spark;

	@BeforeAll
	static void startSpark() {
		spark = SparkSession.builder()
			.master("local[2]")
			.appName("incoming-event-test")
			.config("spark.ui.enabled", "false")
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.sql.shuffle.partitions", "2")
			.getOrCreate();
	}

	@AfterAll
	static void stopSpark() {
		spark.stop();
	}

	@Test
	void trackEnvelopeIsUsableWithItsIdentityAndName() {
		UUID id = UUID.randomUUID();
		IncomingEvent.Parsed parsed = parse(envelope(id, "track", "\"userId\":\"u1\",\"anonymousId\":\"a1\"",
				"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":12.5}}"));

		assertThat(parsed.rejection()).isNull();
		IncomingEvent event = parsed.event();
		assertThat(event.eventId()).isEqualTo(id);
		assertThat(event.workspaceId()).isEqualTo("demo");
		assertThat(event.userId()).isEqualTo("u1");
		assertThat(event.anonymousId()).isEqualTo("a1");
		assertThat(event.eventName()).isEqualTo("Order Completed");
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-20T10:15:30.123456789Z"));
		assertThat(event.traitsJson()).isNull();
	}

	@Test
	void identifyKeepsTraitsAsJsonText() {
		IncomingEvent.Parsed parsed = parse(envelope(UUID.randomUUID(), "identify", "\"userId\":\"u1\"",
				"{\"traits\":{\"plan\":\"pro\",\"address\":{\"city\":\"Porto\"}}}"));

		assertThat(parsed.event().traitsJson()).contains("\"plan\":\"pro\"").contains("\"city\":\"Porto\"");
		assertThat(parsed.event().eventName()).isEmpty();
	}

	@Test
	void unknownFieldsAreIgnored() {
		IncomingEvent.Parsed parsed = parse(envelope(UUID.randomUUID(), "page", "\"anonymousId\":\"a1\"",
				"{\"name\":\"Home\"},\"addedLater\":{\"x\":1}"));

		assertThat(parsed.rejection()).isNull();
		assertThat(parsed.event().anonymousId()).isEqualTo("a1");
	}

	@Test
	void rejectsWhatCannotBeApplied() {
		assertThat(parse("{\"eventId\":").rejection()).isEqualTo("value is not a JSON event envelope");
		assertThat(parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"\"", "{\"event\":\"x\"}")).rejection())
			.isEqualTo("identity has neither userId nor anonymousId");
		assertThat(parse(envelope(UUID.randomUUID(), "purchase", "\"userId\":\"u\"", "{}")).rejection())
			.isEqualTo("unknown event type: purchase");
		assertThat(parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"u\"", "{\"properties\":{}}")).rejection())
			.isEqualTo("track event has no event name");
		assertThat(parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"u\"", "{\"event\":\"x\"}")
			.replace("\"workspaceId\":\"demo\",", "")).rejection()).isEqualTo("workspaceId is missing");
		assertThat(parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"u\"", "{\"event\":\"x\"}")
			.replace("2026-11-20T10:15:30.123456789Z", "yesterday")).rejection())
			.isEqualTo("occurredAt is missing or not an ISO-8601 instant");
		assertThat(parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"u\"", "{\"event\":\"x\"}")
			.replaceFirst("\"eventId\":\"[^\"]+\"", "\"eventId\":\"42\"")).rejection())
			.isEqualTo("eventId is missing or not a UUID");
	}

	@Test
	void rejectedRowKnowsItsWorkspaceWhenTheEnvelopeHasOne() {
		IncomingEvent.Parsed parsed = parse(envelope(UUID.randomUUID(), "track", "\"userId\":\"u\"", "{}"));

		assertThat(parsed.workspaceId()).isEqualTo("demo");
	}

	private static String envelope(UUID eventId, String type, String identity, String payload) {
		return """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"2026-11-20T10:15:30.123456789Z",
				 "receivedAt":"2026-11-20T10:15:31Z","workspaceId":"demo","sourceId":"web","messageId":"m1",
				 "identity":{%s},"context":{"ip":"203.0.113.7"},"payload":%s}""".formatted(eventId, type, identity,
				payload);
	}

	private static IncomingEvent.Parsed parse(String value) {
		Dataset<Row> kafka = spark.createDataFrame(
				List.of(RowFactory.create("cdp.ingestion.events", 0, 7L, value.getBytes(StandardCharsets.UTF_8))),
				KAFKA);
		List<Row> rows = EventParsing.parse(kafka).collectAsList();
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).<String>getAs("raw")).isEqualTo(value);
		return IncomingEvent.from(rows.get(0));
	}

}
