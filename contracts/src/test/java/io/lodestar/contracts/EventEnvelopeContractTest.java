package io.lodestar.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.Identity;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.contracts.topic.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract from both sides: what the producers' records serialise to is accepted by
 * the schema, and every released version's golden sample still deserialises.
 */
class EventEnvelopeContractTest {

	private final JsonMapper json = JsonMapper.builder().build();

	static Stream<EventType> types() {
		return Stream.of(EventType.values());
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void serialisedEnvelopeOfEveryTypeIsAcceptedByItsSchema(EventType type) {
		EventEnvelope envelope = sample(type, samplePayload(type));

		String serialised = this.json.writeValueAsString(envelope);

		assertThat(SchemaSupport.validate(type.schemaResource(type.schemaVersion()), serialised)).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("types")
	void goldenSampleOfEveryReleasedVersionStillDeserialises(EventType type) throws IOException {
		String golden = resource("golden/ingestion/" + type.id() + "/" + type.id() + "-1-0-0.json");

		EventEnvelope envelope = this.json.readValue(golden, EventEnvelope.class);

		assertThat(envelope.type()).isEqualTo(type.id());
		assertThat(envelope.schemaVersion()).isEqualTo("1-0-0");
		assertThat(envelope.workspaceId()).isEqualTo("demo");
		assertThat(envelope.identity().userId()).isEqualTo("u-1001");
		assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-20T10:15:30.120Z"));
		assertThat(envelope.payload()).isNotEmpty();
		assertThat(SchemaSupport.validate(type.schemaResource("1-0-0"), golden)).isEmpty();
	}

	@Test
	void consumersIgnoreUnknownFields() {
		String withExtras = """
				{"eventId":"0b6f4ec6-1c1a-3d0e-9a55-0f1e2d3c4b5a","type":"track","schemaVersion":"1-1-0",
				 "workspaceId":"demo","messageId":"m1","identity":{"userId":"u1","deviceId":"d1"},
				 "payload":{"event":"Clicked"},"addedInALaterVersion":{"x":1}}""";

		EventEnvelope envelope = this.json.readValue(withExtras, EventEnvelope.class);

		assertThat(envelope.identity().userId()).isEqualTo("u1");
		assertThat(envelope.payload()).containsEntry("event", "Clicked");
	}

	@Test
	void schemaRejectsEnvelopeWithoutAnyIdentity() {
		EventEnvelope envelope = new EventEnvelope(EventEnvelope.eventIdFor("demo", "m1"), "track", "1-0-0",
				Instant.now(), Instant.now(), "demo", "web", "m1", new Identity(null, null), Map.of(),
				Map.of("event", "Clicked"));

		assertThat(
				SchemaSupport.validate(EventType.TRACK.schemaResource("1-0-0"), this.json.writeValueAsString(envelope)))
			.isNotEmpty();
	}

	@Test
	void trackSchemaRejectsMissingEventName() {
		EventEnvelope envelope = sample(EventType.TRACK, Map.of("properties", Map.of()));

		assertThat(
				SchemaSupport.validate(EventType.TRACK.schemaResource("1-0-0"), this.json.writeValueAsString(envelope)))
			.anySatisfy((message) -> assertThat(message.getMessage()).contains("event"));
	}

	@Test
	void schemaRejectsOverlongMessageId() {
		EventEnvelope envelope = new EventEnvelope(EventEnvelope.eventIdFor("demo", "m"), "identify", "1-0-0",
				Instant.now(), Instant.now(), "demo", "web", "m".repeat(101), new Identity("u1", null), null,
				Map.of("traits", Map.of()));

		assertThat(SchemaSupport.validate(EventType.IDENTIFY.schemaResource("1-0-0"),
				this.json.writeValueAsString(envelope)))
			.isNotEmpty();
	}

	@Test
	void rejectedEventMatchesItsSchema() {
		RejectedEvent rejected = new RejectedEvent("demo", "web", Instant.now(), "/v1/batch", 3,
				List.of("userId or anonymousId is required"), "{\"type\":\"track\"}");

		assertThat(
				SchemaSupport.validate("schemas/ingestion/rejected/rejected-" + RejectedEvent.SCHEMA_VERSION + ".json",
						this.json.writeValueAsString(rejected)))
			.isEmpty();
	}

	@Test
	void eventIdIsStableForTheSameMessageAndDiffersAcrossWorkspaces() {
		assertThat(EventEnvelope.eventIdFor("demo", "m1")).isEqualTo(EventEnvelope.eventIdFor("demo", "m1"));
		assertThat(EventEnvelope.eventIdFor("demo", "m1")).isNotEqualTo(EventEnvelope.eventIdFor("other", "m1"));
	}

	@Test
	void partitionKeyKeepsOnePersonOnOnePartition() {
		EventEnvelope known = sample(EventType.TRACK, Map.of("event", "x"));
		EventEnvelope anonymous = new EventEnvelope(known.eventId(), "track", "1-0-0", known.occurredAt(),
				known.receivedAt(), "demo", "web", "m", new Identity(null, "anon-1"), null, Map.of("event", "x"));

		assertThat(known.partitionKey()).isEqualTo("demo:u-1");
		assertThat(anonymous.partitionKey()).isEqualTo("demo:anon-1");
	}

	@Test
	void deadLetterTopicsAreNamedExplicitly() {
		assertThat(Topics.INGESTION_EVENTS_DLT).isEqualTo("cdp.ingestion.events-dlt");
		assertThat(Topics.CONNECTOR_RECORDS_DLT).isEqualTo("cdp.connector.records-dlt");
	}

	@Test
	void typesAreLookedUpByWireId() {
		assertThat(EventType.fromId("screen")).contains(EventType.SCREEN);
		assertThat(EventType.fromId("Track")).isEmpty();
	}

	private static EventEnvelope sample(EventType type, Map<String, Object> payload) {
		Instant now = Instant.parse("2026-11-20T10:15:31Z");
		return new EventEnvelope(EventEnvelope.eventIdFor("demo", "m-" + type.id()), type.id(), type.schemaVersion(),
				now.minusSeconds(1), now, "demo", "web", "m-" + type.id(), new Identity("u-1", "anon-1"),
				Map.of("ip", "203.0.113.7"), payload);
	}

	private static Map<String, Object> samplePayload(EventType type) {
		return switch (type) {
			case TRACK -> Map.of("event", "Product Viewed", "properties", Map.of("sku", "85123A", "price", 2.55));
			case IDENTIFY -> Map.of("traits", Map.of("plan", "pro"));
			case PAGE -> Map.of("name", "Home", "properties", Map.of("path", "/"));
			case SCREEN -> Map.of("name", "Zone A", "properties", Map.of("dwellMs", 5400));
			case GROUP -> Map.of("groupId", "acme", "traits", Map.of("employees", 12));
			case ALIAS -> Map.of("previousId", "anon-1");
		};
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = EventEnvelopeContractTest.class.getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
