package io.lodestar.ingestion.connector.management;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.KafkaProbe;
import io.lodestar.ingestion.connector.MutableClock;
import io.lodestar.ingestion.connector.RecordingSleeper;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The framework on a real database and broker, with a test source kind: the scheduler
 * runs what is due by cron on a test clock, rows reach Kafka before the watermark moves,
 * a failed run leaves the watermark, a daily quota pauses the connector until the reset,
 * and a connector another instance holds the lock of does not run.
 */
@SpringBootTest(properties = { "lodestar.ingestion.connectors.scheduler.tick=100ms" })
@Import(ConnectorRunnerIT.Kinds.class)
class ConnectorRunnerIT {

	static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T02:59:00Z"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	ConnectorStore store;

	@Autowired
	SealedCredentials sealed;

	@Autowired
	TestSource source;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void scheduledRunPublishesEveryRowThenStoresTheWatermarkAndTheNextRun() {
		Instant dueAt = CLOCK.instant().plusSeconds(30);
		ConnectorRow connector = insert("{\"rows\":4}", "0 * * * *", dueAt);

		CLOCK.set(dueAt);
		RunRow run = awaitRun(connector, RunRow.SUCCEEDED);

		assertThat(run.trigger()).isEqualTo("schedule");
		assertThat(run.rows()).isEqualTo(4);
		assertThat(run.pages()).isEqualTo(1);
		List<ConsumerRecord<String, String>> records = KafkaProbe.containing(Topics.CONNECTOR_RECORDS,
				connector.id().toString());
		assertThat(records).hasSize(4);
		ConnectorRecord first = JSON.readValue(records.get(0).value(), ConnectorRecord.class);
		assertThat(first.workspaceId()).isEqualTo("ws-runner");
		assertThat(records.get(0).key()).startsWith("ws-runner:customer:");
		ConnectorRow after = this.store.find(connector.id()).orElseThrow();
		assertThat(after.watermark()).startsWith("w1@");
		assertThat(run.watermarkAfter()).isEqualTo(after.watermark());
		assertThat(after.nextRunAt()).isAfter(dueAt).isEqualTo(Schedules.next("0 * * * *", run.finishedAt()));
	}

	@Test
	void malformedPageFailsTheRunAndLeavesTheWatermark() {
		ConnectorRow connector = insert("{\"fail\":\"malformed\"}", "@daily", CLOCK.instant().minusSeconds(1));

		RunRow run = awaitRun(connector, RunRow.FAILED);

		assertThat(run.error()).isEqualTo("Malformed response: data[0].id is missing or not a string");
		assertThat(run.watermarkAfter()).isNull();
		assertThat(this.store.find(connector.id()).orElseThrow().watermark()).isEqualTo("w0");
		assertThat(this.store.find(connector.id()).orElseThrow().nextRunAt()).isAfter(CLOCK.instant());
	}

	@Test
	void authenticationFailureNamesTheProblemButNeverTheCredential() {
		ConnectorRow connector = insert("{\"fail\":\"auth\"}", "@daily", CLOCK.instant().minusSeconds(1));

		RunRow run = awaitRun(connector, RunRow.FAILED);

		assertThat(run.error()).startsWith("Authentication failed: the source rejected token ")
			.doesNotContain("s3cret-token");
	}

	@Test
	void dailyQuotaPausesTheConnectorUntilTheResetThenItRunsAgain() {
		ConnectorRow connector = insert("{\"fail\":\"quota\",\"failRuns\":1}", "@daily",
				CLOCK.instant().minusSeconds(1));

		RunRow paused = awaitRun(connector, RunRow.PAUSED);

		ConnectorRow during = this.store.find(connector.id()).orElseThrow();
		assertThat(during.status()).isEqualTo(ConnectorRow.PAUSED);
		assertThat(during.pausedReason()).contains("test quota per day");
		assertThat(during.pausedUntil()).isEqualTo(paused.nextRunAt());
		assertThat(during.watermark()).isEqualTo("w0");

		CLOCK.set(during.pausedUntil().plusSeconds(1));

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.store.runs("ws-runner", connector.id(), 10, 0)
				.stream()
				.anyMatch((r) -> r.status().equals(RunRow.SUCCEEDED)));
		ConnectorRow resumed = this.store.find(connector.id()).orElseThrow();
		assertThat(resumed.status()).isEqualTo(ConnectorRow.ACTIVE);
		assertThat(resumed.pausedUntil()).isNull();
		assertThat(resumed.watermark()).startsWith("w2@");
	}

	@Test
	void aConnectorLockedByAnotherInstanceDoesNotRunUntilItIsReleased() throws Exception {
		ConnectorRow connector = insert("{}", "@daily", CLOCK.instant().plus(Duration.ofDays(2)));
		TestInfrastructure infra = TestInfrastructure.get();
		try (Connection other = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password())) {
			other.setAutoCommit(false);
			try (PreparedStatement lock = other
				.prepareStatement("select pg_try_advisory_xact_lock(hashtext('connector:' || ?))")) {
				lock.setString(1, connector.id().toString());
				lock.executeQuery().close();
			}
			this.store.queue(connector, CLOCK.instant());

			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
			assertThat(this.source.runs(connector.id().toString())).isZero();
			assertThat(this.store.queuedRun(connector.id())).isPresent();
			other.rollback();
		}

		RunRow run = awaitRun(connector, RunRow.SUCCEEDED);
		assertThat(run.trigger()).isEqualTo("manual");
		assertThat(this.source.runs(connector.id().toString())).isEqualTo(1);
	}

	private ConnectorRow insert(String settings, String schedule, Instant nextRunAt) {
		UUID id = UUID.randomUUID();
		ConnectorRow row = new ConnectorRow(id, "ws-runner", TestSource.KIND, "test " + id,
				this.sealed.seal(id, new Credentials(Map.of("token", "s3cret-token"))), settings, schedule,
				ConnectorRow.ACTIVE, null, null, "w0", nextRunAt, CLOCK.instant(), CLOCK.instant());
		this.store.insert(row);
		return row;
	}

	private RunRow awaitRun(ConnectorRow connector, String status) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.store.runs("ws-runner", connector.id(), 10, 0)
				.stream()
				.anyMatch((run) -> run.status().equals(status)));
		return this.store.runs("ws-runner", connector.id(), 10, 0)
			.stream()
			.filter((run) -> run.status().equals(status))
			.findFirst()
			.orElseThrow();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Kinds {

		@Bean
		TestSource testSource() {
			return new TestSource();
		}

		@Bean
		@Primary
		MutableClock testClock() {
			return CLOCK;
		}

		@Bean
		@Primary
		RecordingSleeper testSleeper() {
			return new RecordingSleeper(CLOCK);
		}

	}

}
