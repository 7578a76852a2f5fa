package io.lodestar.etl.streaming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.infra.launch.JavaProcess;
import io.lodestar.infra.launch.Ports;
import io.lodestar.infra.launch.RunningProcess;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built service, as it runs in production, killed hard (SIGKILL) in the middle of
 * applying a stream of events and started again from its checkpoint: every event counts
 * exactly once — none lost, none doubled.
 */
class CrashRecoveryIT {

	private static final int USERS = 200;

	private static final int EVENTS_PER_USER = 100;

	@Test
	void aKilledJobRestartsFromItsCheckpointWithExactCounts() throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		OwnerSchema.profile();
		String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-it-");
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new StringSerializer(), new StringSerializer())) {
			for (int e = 0; e < EVENTS_PER_USER; e++) {
				for (int u = 0; u < USERS; u++) {
					String user = run + "-u" + u;
					producer.send(new ProducerRecord<>(Topics.INGESTION_EVENTS, "demo:" + user,
							"""
									{"eventId":"%s","type":"track","schemaVersion":"1-0-0","occurredAt":"2026-11-22T10:%02d:00Z",
									 "receivedAt":"2026-11-22T10:%02d:00Z","workspaceId":"demo","messageId":"%s-%d",
									 "identity":{"userId":"%s"},"payload":{"event":"Step %d"}}"""
								.formatted(UUID.nameUUIDFromBytes((user + ":" + e).getBytes()), e % 60, e % 60, user, e,
										user, e % 3)));
				}
			}
			producer.flush();
		}
		long total = (long) USERS * EVENTS_PER_USER;

		RunningProcess first = start(infra, dataDir, "first");
		try {
			await().atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> applied(infra, run) > total / 10);
		}
		finally {
			ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
			first.stop(Duration.ofSeconds(5));
		}
		long atKill = applied(infra, run);
		assertThat(atKill).as("killed mid-way").isBetween(1L, total - 1);

		RunningProcess second = start(infra, dataDir, "second");
		try {
			await().atMost(Duration.ofMinutes(4))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> applied(infra, run) >= total);
			Thread.sleep(3000);
			assertThat(applied(infra, run)).isEqualTo(total);
			assertThat(perUser(infra, run)).hasSize(USERS)
				.allSatisfy((count) -> assertThat(count).isEqualTo(EVENTS_PER_USER));
			// the lake commits after PostgreSQL in each micro-batch: wait for the last
			// one
			await().atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> lakeCounts(dataDir, run)[0] >= total);
		}
		finally {
			second.stop(Duration.ofSeconds(20));
		}
		long[] lake = lakeCounts(dataDir, run);
		assertThat(lake[0]).as("lake rows").isEqualTo(total);
		assertThat(lake[1]).as("distinct event ids in the lake").isEqualTo(total);
		assertThat(lake[2]).as("users in the lake").isEqualTo(USERS);
		assertThat(lake[3]).as("users whose lake rows are not all on their one profile").isZero();
	}

	/**
	 * Reads the killed and restarted service's lake (its Iceberg warehouse under the data
	 * folder) with a Spark session of this JVM.
	 * @return rows, distinct event ids, distinct users, rows of another user's profile
	 */
	private static long[] lakeCounts(Path dataDir, String run) {
		SparkSession spark = SparkSession.builder()
			.master("local[2]")
			.appName("crash-it-lake")
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.ui.enabled", "false")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
		spark.conf().set("spark.sql.catalog.crashlake", "org.apache.iceberg.spark.SparkCatalog");
		spark.conf().set("spark.sql.catalog.crashlake.type", "hadoop");
		spark.conf()
			.set("spark.sql.catalog.crashlake.warehouse", dataDir.resolve("lake").toAbsolutePath().toUri().toString());
		spark.sql("REFRESH TABLE crashlake.cdp.events");
		Row counts = spark.sql("""
				SELECT count(*), count(DISTINCT event_id), count(DISTINCT user_id), count(DISTINCT profile_id)
				  FROM crashlake.cdp.events WHERE workspace_id = 'demo' AND user_id LIKE '%s-%%'""".formatted(run))
			.first();
		Row mixed = spark.sql("""
				SELECT count(*) FROM (SELECT user_id FROM crashlake.cdp.events
				 WHERE workspace_id = 'demo' AND user_id LIKE '%s-%%'
				 GROUP BY user_id HAVING count(DISTINCT profile_id) > 1)""".formatted(run)).first();
		return new long[] { counts.getLong(0), counts.getLong(1), counts.getLong(2),
				mixed.getLong(0) + Math.abs(counts.getLong(3) - counts.getLong(2)) };
	}

	private static RunningProcess start(TestInfrastructure infra, Path dataDir, String name) throws Exception {
		Path jar;
		try (Stream<Path> jars = Files.list(Path.of("target"))) {
			jar = jars.filter((path) -> path.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
		}
		int port = Ports.free();
		RunningProcess process = JavaProcess.jar("etl-service-" + name, jar.toAbsolutePath())
			.jvmOptions(List.of("@" + Path.of("src/main/resources/META-INF/jvm-options.txt").toAbsolutePath(), "-Xmx1g",
					"-Djava.io.tmpdir=" + dataDir.toAbsolutePath()))
			.env(Map.of("LODESTAR_JDBC_URL", infra.jdbcUrl(), "LODESTAR_JDBC_USER", infra.username(),
					"LODESTAR_JDBC_PASSWORD", infra.password(), "LODESTAR_KAFKA_BOOTSTRAP", infra.bootstrapServers(),
					"LODESTAR_DATA_DIR", dataDir.toAbsolutePath().toString(), "LODESTAR_ETL_PORT",
					String.valueOf(port)))
			.logFile(dataDir.resolve(name + ".log"))
			.start();
		return process.awaitHttpOk("http://127.0.0.1:" + port + "/actuator/health/readiness", Duration.ofMinutes(3));
	}

	private static long applied(TestInfrastructure infra, String run) throws Exception {
		try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
				ResultSet row = connection.createStatement()
					.executeQuery("select coalesce(sum(p.event_count), 0) from profile.profile p "
							+ "where p.workspace_id = 'demo' and p.user_id like '" + run + "-%'")) {
			row.next();
			return row.getLong(1);
		}
	}

	private static List<Long> perUser(TestInfrastructure infra, String run) throws Exception {
		List<Long> counts = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
				ResultSet rows = connection.createStatement()
					.executeQuery("select p.event_count from profile.profile p "
							+ "where p.workspace_id = 'demo' and p.user_id like '" + run + "-%'")) {
			while (rows.next()) {
				counts.add(rows.getLong(1));
			}
		}
		return counts;
	}

}
