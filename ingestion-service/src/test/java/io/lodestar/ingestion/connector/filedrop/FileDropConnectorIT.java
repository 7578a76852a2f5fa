package io.lodestar.ingestion.connector.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.connector.ConnectorScenario;
import io.lodestar.ingestion.connector.KafkaProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code file-drop} on a local folder: behaviour CSV, the Online Retail CSV through a
 * column mapping (gzipped, as it ships), NDJSON and JSON messages; every version of a
 * file once; bad rows dead-lettered; an unreadable file recorded without failing the run.
 */
class FileDropConnectorIT extends ConnectorScenario {

	private static final String WS = "ws-drop";

	private Path folder;

	private String relative;

	@BeforeEach
	void folder() throws IOException {
		CLOCK.set(Instant.parse("2026-11-24T03:00:00Z"));
		this.relative = "drop-" + UUID.randomUUID();
		// each workspace's drops live in its own folder of the root
		this.folder = Files.createDirectories(DROPS.resolve(WS).resolve(this.relative));
	}

	@Test
	void behaviourCsvRowsBecomeTrackEventsAndAFileIsImportedOncePerVersion() throws IOException {
		Path file = this.folder.resolve("2019-Oct.csv");
		Files.writeString(file, fixture("kaggle_mkechinov_2019-Oct_head.csv"));
		String id = drop("{\"format\":\"behaviour-csv\",\"pattern\":\"*.csv\"}");

		JsonNode first = runNow(WS, id);

		assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
		long lines = fixture("kaggle_mkechinov_2019-Oct_head.csv").lines().count() - 1;
		assertThat(first.get("rows").asLong()).isEqualTo(lines);
		assertThat(first.get("pages").asInt()).isEqualTo(1);
		List<EventEnvelope> events = events(id);
		assertThat(events).hasSize((int) lines).allSatisfy((event) -> {
			assertThat(event.type()).isEqualTo("track");
			assertThat(event.workspaceId()).isEqualTo(WS);
		});
		assertThat(events.get(0).payload()).containsEntry("event", "Product Viewed");

		JsonNode again = runNow(WS, id);
		assertThat(again.get("rows").asLong()).as("the same version is not imported again").isZero();

		Files.writeString(file,
				fixture("kaggle_mkechinov_2019-Oct_head.csv") + "2019-10-01 00:09:00 UTC,purchase,1,2,,,9.99,42,s-1\n");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
		JsonNode changed = runNow(WS, id);
		assertThat(changed.get("rows").asLong()).as("a changed file is a new version").isEqualTo(lines + 1);
		List<EventEnvelope> after = events(id);
		assertThat(after.stream().map(EventEnvelope::eventId).distinct().count())
			.as("re-imported rows keep their event ids")
			.isEqualTo(lines + 1);
	}

	@Test
	void theOnlineRetailCsvIsImportedAsOrderEventsThroughAColumnMapping() throws IOException {
		List<String> head = onlineRetailHead(300);
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(this.folder.resolve("retail.csv.gz")))) {
			out.write((String.join("\n", head) + "\n").getBytes(StandardCharsets.UTF_8));
		}
		String id = drop("{\"format\":\"csv\",\"mapping\":"
				+ io.lodestar.ingestion.connector.filedrop.CsvMappingTest.ONLINE_RETAIL + "}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.get("rows").asLong()).isEqualTo(299);
		assertThat(run.get("rejected").asLong()).isZero();
		List<EventEnvelope> events = events(id);
		EventEnvelope first = events.stream()
			.filter((event) -> ((Map<?, ?>) event.payload().get("properties")).get("product_id").equals("85123A"))
			.filter((event) -> ((Map<?, ?>) event.payload().get("properties")).get("order_id").equals("536365"))
			.findFirst()
			.orElseThrow();
		assertThat(first.identity().userId()).isEqualTo("17850");
		assertThat(first.occurredAt()).isEqualTo(Instant.parse("2010-12-01T08:26:00Z"));
		assertThat(first.payload()).containsEntry("event", "Order Completed");
		assertThat(((Map<?, ?>) first.payload().get("properties")).get("revenue")).isEqualTo(15.3);
	}

	@Test
	void badRowsAreDeadLetteredWithTheirLineAndTheRestIsImported() throws IOException {
		Files.writeString(this.folder.resolve("rows.csv"), """
				invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country
				1,A,Good,1,2010-12-01T08:26:00Z,2.55,1,United Kingdom
				2,B,"Bad, quantity",many,2010-12-01T08:26:00Z,2.55,1,United Kingdom
				3,C,Good too,2,2010-12-01T08:27:00Z,1.00,2,France
				""");
		String id = drop("{\"format\":\"csv\",\"mapping\":" + CsvMappingTest.ONLINE_RETAIL + "}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("succeeded");
		assertThat(run.get("rows").asLong()).isEqualTo(2);
		assertThat(run.get("rejected").asLong()).isEqualTo(1);
		List<ConsumerRecord<String, String>> dead = KafkaProbe.containing(Topics.INGESTION_EVENTS_DLT, id);
		assertThat(dead).hasSize(1);
		RejectedEvent rejected = JSON.readValue(dead.get(0).value(), RejectedEvent.class);
		assertThat(rejected.route()).isEqualTo("file-drop:rows.csv");
		assertThat(rejected.index()).isEqualTo(3);
		assertThat(rejected.reasons()).containsExactly("line 3 column 'quantity' is not an integer");
		assertThat(rejected.message()).startsWith("2,B,\"Bad, quantity\",many");
	}

	@Test
	void ndjsonAndJsonFilesCarrySegmentMessagesCheckedByTheCollectorsRules() throws IOException {
		Files.writeString(this.folder.resolve("a.ndjson"), """
				{"type":"identify","userId":"u-1","traits":{"plan":"pro"},"timestamp":"2024-06-01T10:00:00Z"}
				{"type":"track","userId":"u-1","event":"Signed Up","messageId":"m-2"}
				{"type":"track","event":"No identity"}
				not json
				""");
		Files.writeString(this.folder.resolve("b.json"), """
				{"batch":[{"type":"page","anonymousId":"a-9","name":"Home","properties":{"path":"/"}}]}""");
		Files.writeString(this.folder.resolve("c.json"), "[{\"type\":\"track\",\"userId\":\"u");
		String id = drop("{\"format\":\"ndjson\",\"pattern\":\"*.ndjson\"}");
		String json = drop("{\"format\":\"json\",\"pattern\":\"*.json\"}");

		JsonNode lines = runNow(WS, id);
		JsonNode batches = runNow(WS, json);

		assertThat(lines.get("rows").asLong()).isEqualTo(2);
		assertThat(lines.get("rejected").asLong()).isEqualTo(2);
		List<EventEnvelope> events = events(id);
		assertThat(events).extracting(EventEnvelope::type).containsExactlyInAnyOrder("identify", "track");
		assertThat(events.stream().filter((e) -> e.type().equals("identify")).findFirst().orElseThrow().occurredAt())
			.isEqualTo(Instant.parse("2024-06-01T10:00:00Z"));
		assertThat(events).extracting(EventEnvelope::messageId).contains("m-2");
		List<RejectedEvent> rejected = KafkaProbe.containing(Topics.INGESTION_EVENTS_DLT, id)
			.stream()
			.map((record) -> JSON.readValue(record.value(), RejectedEvent.class))
			.toList();
		assertThat(rejected).extracting((r) -> r.reasons().get(0))
			.containsExactlyInAnyOrder("userId or anonymousId is required", "line 4 is not JSON");
		assertThat(batches.get("status").asString()).isEqualTo("succeeded");
		assertThat(batches.get("rows").asLong()).isEqualTo(1);
		assertThat(batches.get("pages").asInt()).isEqualTo(2);
		assertThat(events(json)).extracting(EventEnvelope::type).containsExactly("page");
	}

	@Test
	void aFileWithTheWrongHeaderIsRecordedWithItsErrorAndTheRunGoesOn() throws IOException {
		Files.writeString(this.folder.resolve("a-wrong.csv"), "when,what\n2019-10-01,view\n");
		Files.writeString(this.folder.resolve("b-right.csv"), fixture("kaggle_mkechinov_synthetic_funnel_rows.csv"));
		String id = drop("{\"format\":\"behaviour-csv\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("succeeded");
		assertThat(run.get("pages").asInt()).isEqualTo(2);
		assertThat(run.get("rows").asLong())
			.isEqualTo(fixture("kaggle_mkechinov_synthetic_funnel_rows.csv").lines().count() - 1);
		assertThat(runNow(WS, id).get("pages").asInt()).as("neither file is read again").isZero();
	}

	@Test
	void aFolderOutsideTheRootIsRefusedAndAMissingFolderFailsTheCheck() {
		HttpResponse body = new HttpResponse(call("POST", "/v1/connectors", WS,
				"{\"kind\":\"file-drop\",\"name\":\"Escape\",\"settings\":{\"folder\":\"../../etc\",\"format\":\"json\"}}")
			.body());
		assertThat(body.text()).contains("settings.folder");
		// nor into another workspace's folder
		HttpResponse sideways = new HttpResponse(call("POST", "/v1/connectors", WS,
				"{\"kind\":\"file-drop\",\"name\":\"Sideways\",\"settings\":{\"folder\":\"../other/" + this.relative
						+ "\",\"format\":\"json\"}}")
			.body());
		assertThat(sideways.text()).contains("settings.folder");

		String id = create(WS, FileDropConnector.KIND, "Missing " + UUID.randomUUID(),
				"{\"folder\":\"no-such-folder\",\"format\":\"ndjson\"}", "{}");
		JsonNode check = JSON.readTree(call("POST", "/v1/connectors/" + id + "/test", WS, null).body());
		assertThat(check.get("ok").asBoolean()).isFalse();
		assertThat(check.get("error").asString()).contains("does not exist");
	}

	@Test
	void aConnectorReadsItsOwnWorkspacesDropsOnlyWhateverFolderItNames() throws Exception {
		Files.writeString(this.folder.resolve("a.ndjson"), """
				{"type":"track","userId":"u-own","event":"Viewed","timestamp":"2026-11-20T10:00:00Z"}
				""");
		// another workspace names the same folder: it is its own folder, empty
		String other = create("ws-other", FileDropConnector.KIND, "Same name " + UUID.randomUUID(),
				"{\"folder\":\"" + this.relative + "\",\"format\":\"ndjson\"}", "{}");
		JsonNode check = JSON.readTree(call("POST", "/v1/connectors/" + other + "/test", "ws-other", null).body());
		assertThat(check.get("ok").asBoolean()).isFalse();
		assertThat(check.get("error").asString()).contains("does not exist");
		String own = create(WS, FileDropConnector.KIND, "Own " + UUID.randomUUID(),
				"{\"folder\":\"" + this.relative + "\",\"format\":\"ndjson\"}", "{}");
		assertThat(runNow(WS, own).get("rows").asInt()).isEqualTo(1);
	}

	private record HttpResponse(String text) {
	}

	private String drop(String settings) {
		ObjectSettings merged = new ObjectSettings(settings);
		return create(WS, FileDropConnector.KIND, "Drop " + UUID.randomUUID(), merged.withFolder(this.relative), "{}");
	}

	private record ObjectSettings(String json) {

		String withFolder(String folder) {
			return "{\"folder\":\"" + folder + "\"," + this.json.substring(1);
		}

	}

	static List<String> onlineRetailHead(int lines) throws IOException {
		try (InputStream in = new GZIPInputStream(
				Files.newInputStream(Path.of("../data/sample/online_retail.csv.gz")))) {
			return new String(in.readNBytes(200_000), StandardCharsets.UTF_8).lines().limit(lines).toList();
		}
	}

}
