package io.lodestar.ingestion.connector.filedrop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.connector.ConnectorScenario;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file-drop benchmark (not part of the test suite; its name matches neither
 * {@code *Test} nor {@code *IT}): the full UCI Online Retail set, gzipped as it ships,
 * imported by a {@code file-drop} connector through the production path — the API queues
 * a run, the scheduler runs it, the CSV mapping makes the events, the connectors'
 * producer sends them with acks=all — into the real broker. Prints rows per second of the
 * run and the end-to-end time from the API call until the run is recorded finished (every
 * row acknowledged). Asserts only that every line reached Kafka. Run with
 * {@code ./mvnw -pl ingestion-service verify -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FileDropBenchmark}.
 */
class FileDropBenchmark extends ConnectorScenario {

	private static final Path DATASET = Path.of("../data/sample/online_retail.csv.gz");

	@Test
	void importsTheOnlineRetailSet() throws Exception {
		int rounds = Integer.getInteger("benchmark.rounds", 3);
		for (int round = 1; round <= rounds; round++) {
			run(round);
		}
	}

	private void run(int round) throws Exception {
		String folder = "benchmark-" + UUID.randomUUID();
		Path drop = Files.createDirectories(DROPS.resolve("ws-bench").resolve(folder));
		Files.copy(DATASET, drop.resolve("online_retail.csv.gz"), StandardCopyOption.REPLACE_EXISTING);
		String id = create("ws-bench", FileDropConnector.KIND, "Online Retail " + UUID.randomUUID(),
				"{\"folder\":\"" + folder + "\",\"format\":\"csv\",\"mapping\":" + CsvMappingTest.ONLINE_RETAIL + "}",
				"{}");
		long before = endOffsets();

		long started = System.nanoTime();
		assertThat(call("POST", "/v1/connectors/" + id + "/runs", "ws-bench", null).statusCode()).isEqualTo(202);
		JsonNode run = null;
		while (System.nanoTime() - started < Duration.ofMinutes(15).toNanos()) {
			JsonNode last = connector("ws-bench", id).get("lastRun");
			if (last != null && !last.isNull()
					&& Set.of("succeeded", "failed").contains(last.get("status").asString())) {
				run = last;
				break;
			}
			Thread.sleep(100);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		assertThat(run).as("the run finished").isNotNull();
		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
		long rows = run.get("rows").asLong();
		long published = endOffsets() - before;
		System.out.printf(
				"%nBENCHMARK round %d: %,d rows (%,d rejected) from online_retail.csv.gz into %s, acks=all: "
						+ "%.2f s end to end, %,.0f rows/s; %,d records landed on the topic%n%n",
				round, rows, run.get("rejected").asLong(), Topics.INGESTION_EVENTS, seconds, rows / seconds, published);
		assertThat(rows + run.get("rejected").asLong()).isEqualTo(541_909);
		assertThat(published).isGreaterThanOrEqualTo(rows);
	}

	private static long endOffsets() throws Exception {
		Properties config = new Properties();
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		try (Admin admin = Admin.create(config)) {
			Set<TopicPartition> partitions = admin.describeTopics(Set.of(Topics.INGESTION_EVENTS))
				.allTopicNames()
				.get()
				.get(Topics.INGESTION_EVENTS)
				.partitions()
				.stream()
				.map((partition) -> new TopicPartition(Topics.INGESTION_EVENTS, partition.partition()))
				.collect(Collectors.toSet());
			Map<TopicPartition, OffsetSpec> latest = partitions.stream()
				.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.latest()));
			return admin.listOffsets(latest).all().get().values().stream().mapToLong((info) -> info.offset()).sum();
		}
	}

}
