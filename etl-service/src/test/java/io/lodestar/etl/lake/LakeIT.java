package io.lodestar.etl.lake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobResult;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lake on a real broker and PostgreSQL: the table's layout (Iceberg format 2,
 * partitioned by workspace and day), clean events only, each once, with the profile they
 * were applied to; row-level erasure over HTTP that leaves other people untouched; the
 * read of a profile's events, newest first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LakeIT {

	@Autowired
	SparkSession spark;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LakeTable lake;

	@Autowired
	LakeMaintenanceJob lakeJob;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lake-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		registry.add("lodestar.etl.lake.warehouse", () -> dataDir.resolve("warehouse").toString());
		registry.add("lodestar.etl.lake.maintenance.snapshot-retention", () -> "0s");
		registry.add("lodestar.etl.lake.maintenance.snapshots-kept", () -> "1");
		OwnerSchema.profile();
	}

	@Test
	void theEventsTableIsIcebergV2PartitionedByWorkspaceAndDay() throws Exception {
		Table table = Spark3Util.loadIcebergTable(this.spark, LakeTable.EVENTS);
		assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
		assertThat(table.spec().fields()).extracting(PartitionField::name, (field) -> field.transform().toString())
			.containsExactly(org.assertj.core.groups.Tuple.tuple("workspace_id", "identity"),
					org.assertj.core.groups.Tuple.tuple("occurred_at_day", "day"));
		assertThat(table.properties()).containsEntry("write.delete.mode", "merge-on-read");
		assertThat(table.location()).contains("warehouse");
	}

	@Test
	void cleanEventsLandOnceAndErasureRemovesOnlyThePersonsRows() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String workspace = "lake-" + run;
		String alice = "alice-" + run;
		String bob = "bob-" + run;
		String duplicate = UUID.randomUUID().toString();
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()),
				new StringSerializer(), new StringSerializer())) {
			send(producer, envelope(workspace, UUID.randomUUID().toString(), "identify", alice,
					"{\"traits\":{\"plan\":\"pro\"}}", "2026-11-20T10:00:00Z", null));
			send(producer, envelope(workspace, duplicate, "track", alice,
					"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":10}}", "2026-11-21T10:00:00Z", null));
			send(producer, envelope(workspace, duplicate, "track", alice,
					"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":10}}", "2026-11-21T10:00:00Z", null));
			send(producer, envelope(workspace, UUID.randomUUID().toString(), "track", alice,
					"{\"event\":\"Product Viewed\"}", "2026-11-22T10:00:00Z", null));
			send(producer, envelope(workspace, UUID.randomUUID().toString(), "track", bob,
					"{\"event\":\"Product Viewed\"}", "2026-11-22T11:00:00Z", null));
			// quarantined (a crawler): never in the lake
			send(producer, envelope(workspace, UUID.randomUUID().toString(), "track", bob,
					"{\"event\":\"Product Viewed\"}", "2026-11-22T12:00:00Z", "Googlebot/2.1"));
			producer.flush();
		}

		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(lakeRows(workspace)).hasSize(4));
		Thread.sleep(2500);
		List<Row> rows = lakeRows(workspace);
		assertThat(rows).hasSize(4);
		assertThat(rows.stream().map((row) -> row.<String>getAs("event_id")).distinct()).hasSize(4);
		UUID aliceProfile = profileOf(workspace, alice);
		UUID bobProfile = profileOf(workspace, bob);
		assertThat(rows).filteredOn((row) -> alice.equals(row.getAs("user_id")))
			.hasSize(3)
			.allSatisfy((row) -> assertThat(row.<String>getAs("profile_id")).isEqualTo(aliceProfile.toString()));
		assertThat(rows).filteredOn((row) -> duplicate.equals(row.getAs("event_id")))
			.singleElement()
			.satisfies((row) -> {
				assertThat(row.<String>getAs("name")).isEqualTo("Order Completed");
				assertThat(row.<String>getAs("properties")).contains("\"revenue\":10");
			});
		assertThat(this.spark.table(LakeTable.EVENTS)
			.filter(col("workspace_id").equalTo(workspace))
			.select("occurred_at")
			.distinct()
			.count()).isEqualTo(4);

		// another workspace's request sees none of these rows and cannot name this one
		assertThat(get("elsewhere", "/internal/v1/lake/events?profileId=" + aliceProfile).body())
			.isEqualTo("{\"events\":[]}");
		assertThat(get("elsewhere", "/internal/v1/lake/events?workspaceId=" + workspace + "&profileId=" + aliceProfile)
			.statusCode()).isEqualTo(400);
		assertThat(post("elsewhere", "/internal/v1/lake/erasures",
				"{\"workspaceId\":\"" + workspace + "\",\"profileIds\":[\"" + aliceProfile + "\"]}")
			.statusCode()).isEqualTo(400);
		HttpResponse<String> timeline = get(workspace, "/internal/v1/lake/events?workspaceId=" + workspace
				+ "&profileId=" + aliceProfile + "&before=2026-11-22T00:00:00Z&limit=10");
		assertThat(timeline.statusCode()).isEqualTo(200);
		assertThat(timeline.body()).contains(duplicate).doesNotContain("Product Viewed");
		assertThat(timeline.body().indexOf("Order Completed")).isLessThan(timeline.body().indexOf("identify"));

		HttpResponse<String> erased = post(workspace, "/internal/v1/lake/erasures",
				"{\"workspaceId\":\"" + workspace + "\",\"profileIds\":[\"" + aliceProfile + "\"]}");
		assertThat(erased.statusCode()).isEqualTo(200);
		assertThat(erased.body()).contains("\"rowsDeleted\":3");
		assertThat(lakeRows(workspace)).singleElement()
			.satisfies((row) -> assertThat(row.<String>getAs("user_id")).isEqualTo(bob));

		HttpResponse<String> byUserId = post(workspace, "/internal/v1/lake/erasures",
				"{\"workspaceId\":\"" + workspace + "\",\"userIds\":[\"" + bob + "\"]}");
		assertThat(byUserId.body()).contains("\"rowsDeleted\":1");
		assertThat(lakeRows(workspace)).isEmpty();

		assertThat(
				post(workspace, "/internal/v1/lake/erasures", "{\"workspaceId\":\"" + workspace + "\"}").statusCode())
			.isEqualTo(400);
	}

	@Test
	void anEventRedeliveredInALaterBatchStaysOnceInTheLake() throws Exception {
		String workspace = "lake-again-" + UUID.randomUUID().toString().substring(0, 8);
		String first = UUID.randomUUID().toString();
		String marker = UUID.randomUUID().toString();
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()),
				new StringSerializer(), new StringSerializer())) {
			String order = envelope(workspace, first, "track", "carol",
					"{\"event\":\"Order Completed\",\"properties\":{\"revenue\":5}}", "2026-11-23T10:00:00Z", null);
			send(producer, order);
			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(lakeRows(workspace)).hasSize(1));
			// an SDK's retry after the first copy was applied and is in the lake, then
			// an event after it: once the second is in the lake, the retry's batch is
			// done
			send(producer, order);
			send(producer, envelope(workspace, marker, "track", "carol", "{\"event\":\"Product Viewed\"}",
					"2026-11-23T11:00:00Z", null));
		}
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(lakeRows(workspace)).hasSize(2));
		assertThat(lakeRows(workspace)).extracting((row) -> row.<String>getAs("event_id"))
			.containsExactlyInAnyOrder(first, marker);
		assertThat(this.jdbc.queryForObject(
				"select event_count from profile.profile_event_count where workspace_id = ? and event_name = ?",
				Long.class, workspace, "Order Completed"))
			.isEqualTo(1);
	}

	@Test
	void aBatchAppendedAgainAfterItsCommitAddsNothing() throws Exception {
		String workspace = "lake-replay-" + UUID.randomUUID().toString().substring(0, 8);
		String query = UUID.randomUUID() + ":";
		List<Row> rows = List.of(lakeRow(workspace, "2026-11-24 10:00:00"), lakeRow(workspace, "2026-11-25 10:00:00"));

		assertThat(this.lake.committed(query + 7)).isFalse();
		assertThat(this.lake.appendBatch(this.spark.createDataFrame(rows, LakeTable.SCHEMA), query + 7)).isTrue();
		assertThat(this.lake.committed(query + 7)).isTrue();
		// the replay of batch 7 (a crash came after its commit, before Spark's)
		assertThat(this.lake.appendBatch(this.spark.createDataFrame(rows, LakeTable.SCHEMA), query + 7)).isFalse();
		assertThat(lakeRows(workspace)).hasSize(2);
		// batch 8 of the same query, and another query's batch 8, are new
		assertThat(this.lake.committed(query + 8)).isFalse();
		assertThat(this.lake.committed(UUID.randomUUID() + ":7")).isFalse();
		assertThat(this.lake.appendBatch(
				this.spark.createDataFrame(List.of(lakeRow(workspace, "2026-11-25 11:00:00")), LakeTable.SCHEMA),
				query + 8))
			.isTrue();
		assertThat(lakeRows(workspace)).hasSize(3);
		assertThat(Spark3Util.loadIcebergTable(this.spark, LakeTable.EVENTS).currentSnapshot().summary())
			.containsEntry(LakeTable.BATCH_PROPERTY, query + 8);
	}

	@Test
	void theLakeJobCompactsSmallFilesFoldsErasuresInAndExpiresOldSnapshots() throws Exception {
		String workspace = "lake-job-" + UUID.randomUUID().toString().substring(0, 8);
		String query = UUID.randomUUID() + ":";
		List<Row> rows = new java.util.ArrayList<>();
		for (int batch = 0; batch < 4; batch++) {
			Row row = lakeRow(workspace, "2026-11-26 1" + batch + ":00:00");
			rows.add(row);
			this.lake.appendBatch(this.spark.createDataFrame(List.of(row), LakeTable.SCHEMA), query + batch);
		}
		String erased = rows.get(1).getString(1);
		this.spark.sql("DELETE FROM %s WHERE workspace_id = '%s' AND event_id = '%s'".formatted(LakeTable.EVENTS,
				workspace, erased));
		List<String> smallFiles = dataFiles(workspace);
		assertThat(smallFiles).hasSize(4);
		assertThat(deleteFiles(workspace)).isNotEmpty();

		JobResult result = this.lakeJob.run(JobContext.standalone("lake", workspace, new JobRequest(null, null, null)));

		assertThat(result.summary()).containsEntry("dataFilesRewritten", 4).containsEntry("dataFilesAdded", 1);
		assertThat(lakeRows(workspace)).extracting((row) -> row.<String>getAs("event_id"))
			.containsExactlyInAnyOrder(rows.get(0).getString(1), rows.get(2).getString(1), rows.get(3).getString(1));
		assertThat(dataFiles(workspace)).hasSize(1);
		assertThat(deleteFiles(workspace)).isEmpty();
		// expired (retention 0 here, the newest snapshot kept): the files that held the
		// erased row are gone from the disk
		assertThat(this.lake.table().snapshots()).hasSize(1);
		assertThat(smallFiles).allSatisfy((file) -> assertThat(Path.of(URI.create(file))).doesNotExist());
	}

	private List<String> dataFiles(String workspace) {
		return this.spark
			.sql("SELECT file_path FROM %s.data_files WHERE partition.workspace_id = '%s'".formatted(LakeTable.EVENTS,
					workspace))
			.collectAsList()
			.stream()
			.map((row) -> row.getString(0))
			.toList();
	}

	private List<Row> deleteFiles(String workspace) {
		return this.spark
			.sql("SELECT file_path FROM %s.delete_files WHERE partition.workspace_id = '%s'".formatted(LakeTable.EVENTS,
					workspace))
			.collectAsList();
	}

	private static Row lakeRow(String workspace, String at) {
		return org.apache.spark.sql.RowFactory.create(workspace, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), "track", "Product Viewed", "dave", null, java.sql.Timestamp.valueOf(at),
				java.sql.Timestamp.valueOf(at), "web", null, null, null);
	}

	private List<Row> lakeRows(String workspace) {
		return this.spark.table(LakeTable.EVENTS).filter(col("workspace_id").equalTo(workspace)).collectAsList();
	}

	private UUID profileOf(String workspace, String userId) {
		return this.jdbc.queryForObject(
				"select profile_id from profile.profile_identity where workspace_id = ? and kind = 'user_id' and value = ?",
				UUID.class, workspace, userId);
	}

	private HttpResponse<String> get(String workspace, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header(Workspace.HEADER, workspace)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String workspace, String path, String json) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Content-Type", "application/json")
				.header(Workspace.HEADER, workspace)
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String envelope(String workspace, String eventId, String type, String userId, String payload,
			String at, String userAgent) {
		String context = (userAgent != null) ? ",\"context\":{\"userAgent\":\"" + userAgent + "\"}" : "";
		return """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"%s","receivedAt":"%s",
				 "workspaceId":"%s","sourceId":"web","messageId":"%s","identity":{"userId":"%s"},"payload":%s%s}"""
			.formatted(eventId, type, at, at, workspace, eventId, userId, payload, context);
	}

	private static void send(KafkaProducer<String, String> producer, String value) throws Exception {
		producer.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, "k", value)).get(10, TimeUnit.SECONDS);
	}

}
