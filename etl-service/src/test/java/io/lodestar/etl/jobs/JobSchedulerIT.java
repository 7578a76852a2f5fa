package io.lodestar.etl.jobs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler on the real PostgreSQL, through its REST API, with jobs of the test that
 * block, fail a given number of times, cannot do their work, take a date range, or run
 * every second: asynchronous runs with progress and a 409 while one runs, retries with
 * backoff up to the attempt limit, loud failures that are not retried, the history's
 * paging, problems for bad requests, the advisory lock against another instance, cron
 * slots for every workspace with profiles, and runs of a vanished instance taken over or
 * failed as abandoned and retried.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.etl.streaming.enabled=false", "lodestar.etl.scheduler.tick=200ms",
				"lodestar.etl.scheduler.threads=4", "lodestar.etl.scheduler.max-attempts=3",
				"lodestar.etl.scheduler.backoff=400ms", "lodestar.etl.scheduler.stale-after=2s",
				"lodestar.etl.scheduler.jobs.ticking.cron=* * * * * *" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class JobSchedulerIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final CountDownLatch RELEASE = new CountDownLatch(1);

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "jobs-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.etl.kafka-bootstrap", infra::bootstrapServers);
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jobs-it-");
		registry.add("lodestar.etl.data-dir", dataDir::toString);
		OwnerSchema.profile();
	}

	@Test
	void aManualRunIsAcceptedAndRunsAsynchronouslyWithProgressAndOneAtATime() throws Exception {
		HttpResponse<String> accepted = post("/v1/jobs/blocking/runs", this.workspace, null);

		assertThat(accepted.statusCode()).isEqualTo(202);
		JsonNode run = JSON.readTree(accepted.body());
		String runId = run.get("runId").asString();
		assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/jobs/runs/" + runId);
		assertThat(run.get("status").asString()).isIn("queued", "running");
		assertThat(run.get("trigger").asString()).isEqualTo("manual");
		assertThat(run.get("attempt").asInt()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode running = JSON.readTree(get("/v1/jobs/runs/" + runId, this.workspace).body());
			assertThat(running.get("status").asString()).isEqualTo("running");
			assertThat(running.get("progress").get("fraction").asDouble()).isEqualTo(0.5);
			assertThat(running.get("progress").get("step").asString()).isEqualTo("waiting for the test");
		});

		HttpResponse<String> second = post("/v1/jobs/blocking/runs", this.workspace, null);
		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(second.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode conflict = JSON.readTree(second.body());
		assertThat(conflict.get("type").asString()).isEqualTo("https://lodestar.io/problems/job-already-running");
		assertThat(conflict.get("activeRunId").asString()).isEqualTo(runId);
		// another workspace is not held up
		String other = this.workspace + "-b";
		assertThat(post("/v1/jobs/blocking/runs", other, null).statusCode()).isEqualTo(202);

		RELEASE.countDown();
		JsonNode done = awaitFinished(runId, this.workspace);
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		assertThat(done.get("rowsIn").asLong()).isEqualTo(7);
		assertThat(done.get("rowsOut").asLong()).isEqualTo(3);
		assertThat(done.get("durationMs").asLong()).isPositive();
		assertThat(Instant.parse(done.get("finishedAt").asString()))
			.isAfterOrEqualTo(Instant.parse(done.get("startedAt").asString()));
		assertThat(done.get("result").get("workspace").asString()).isEqualTo(this.workspace);
		assertThat(done.get("progress").get("fraction").asDouble()).isEqualTo(1.0);

		JsonNode jobs = JSON.readTree(get("/v1/jobs", this.workspace).body());
		JsonNode blocking = find(jobs.get("jobs"), "blocking");
		assertThat(blocking.get("lastRun").get("runId").asString()).isEqualTo(runId);
		assertThat(blocking.has("schedule")).isFalse();
		JsonNode rfm = find(jobs.get("jobs"), "rfm");
		assertThat(rfm.get("schedule").get("cron").asString()).isEqualTo("0 0 2 * * *");
		assertThat(rfm.get("schedule").get("zone").asString()).isEqualTo("UTC");
		assertThat(Instant.parse(rfm.get("nextRunAt").asString())).isAfter(Instant.now());
		assertThat(rfm.get("parameters").get(0).get("name").asString()).isEqualTo("kMin");
		assertThat(rfm.get("parameters").get(0).get("type").asString()).isEqualTo("integer");
		assertThat(rfm.has("lastRun")).isFalse();
	}

	@Test
	void aFailingRunIsRetriedWithBackoffUntilItSucceeds() throws Exception {
		String first = JSON
			.readTree(post("/v1/jobs/flaky/runs", this.workspace, "{\"parameters\":{\"failures\":2}}").body())
			.get("runId")
			.asString();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from etl.job_run where workspace_id = ? and job = 'flaky' and status = 'succeeded'",
					Long.class, this.workspace) == 1);

		List<Map<String, Object>> attempts = this.jdbc.queryForList(
				"""
						select run_id, trigger, status, attempt, retry_of, error_type, error, queued_at, not_before, finished_at,
						       parameters::text as parameters
						  from etl.job_run where workspace_id = ? and job = 'flaky' order by attempt""",
				this.workspace);
		assertThat(attempts)
			.extracting((row) -> row.get("attempt"), (row) -> row.get("status"), (row) -> row.get("trigger"))
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, "failed", "manual"),
					org.assertj.core.groups.Tuple.tuple(2, "failed", "retry"),
					org.assertj.core.groups.Tuple.tuple(3, "succeeded", "retry"));
		assertThat(attempts.get(0).get("run_id")).hasToString(first);
		assertThat(attempts.get(1).get("retry_of")).isEqualTo(attempts.get(0).get("run_id"));
		assertThat(attempts.get(2).get("retry_of")).isEqualTo(attempts.get(1).get("run_id"));
		assertThat(attempts.get(0).get("error_type")).isEqualTo("job-error");
		assertThat(attempts.get(0).get("error")).isEqualTo("IllegalStateException: planted failure 1 of 2");
		assertThat((String) attempts.get(2).get("parameters")).contains("\"failures\": 2");
		// the second retry waits twice as long as the first
		assertThat(gap(attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(gap(attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(800));
		JsonNode firstRun = JSON.readTree(get("/v1/jobs/runs/" + first, this.workspace).body());
		assertThat(firstRun.get("status").asString()).isEqualTo("failed");
		assertThat(firstRun.get("error").asString()).contains("planted failure 1 of 2");
	}

	@Test
	void aRunThatKeepsFailingStopsAtTheAttemptLimit() throws Exception {
		post("/v1/jobs/flaky/runs", this.workspace, "{\"parameters\":{\"failures\":10}}");

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject(
					"select count(*) from etl.job_run where workspace_id = ? and job = 'flaky' and status = 'failed'",
					Long.class, this.workspace) == 3);
		// the scheduler's ticks go on; no fourth attempt comes
		Thread.sleep(1500);
		assertThat(this.jdbc.queryForObject("select count(*) from etl.job_run where workspace_id = ? and job = 'flaky'",
				Long.class, this.workspace))
			.isEqualTo(3);
	}

	@Test
	void aJobThatCannotDoItsWorkFailsLoudlyAndIsNotRetried() throws Exception {
		String runId = JSON.readTree(post("/v1/jobs/hopeless/runs", this.workspace, null).body())
			.get("runId")
			.asString();

		JsonNode failed = awaitFinished(runId, this.workspace);
		assertThat(failed.get("status").asString()).isEqualTo("failed");
		assertThat(failed.get("errorType").asString()).isEqualTo("invalid-data");
		assertThat(failed.get("error").asString()).isEqualTo("no purchases in this workspace");
		Thread.sleep(1000);
		assertThat(
				this.jdbc.queryForObject("select count(*) from etl.job_run where workspace_id = ? and job = 'hopeless'",
						Long.class, this.workspace))
			.isEqualTo(1);
	}

	@Test
	void theHistoryPagesNewestFirstWithACursorAndKeepsTheDateRange() throws Exception {
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			HttpResponse<String> response = post("/v1/jobs/ranged/runs", this.workspace,
					"{\"from\":\"2024-01-0" + i + "\",\"to\":\"2024-01-31\"}");
			assertThat(response.statusCode()).isEqualTo(202);
			String id = JSON.readTree(response.body()).get("runId").asString();
			awaitFinished(id, this.workspace);
			ids.add(id);
		}

		JsonNode page = JSON.readTree(get("/v1/jobs/ranged/runs?limit=2", this.workspace).body());
		assertThat(page.get("runs")).hasSize(2);
		assertThat(page.get("runs").get(0).get("runId").asString()).isEqualTo(ids.get(2));
		assertThat(page.get("runs").get(1).get("runId").asString()).isEqualTo(ids.get(1));
		assertThat(page.get("runs").get(0).get("from").asString()).isEqualTo("2024-01-03");
		assertThat(page.get("runs").get(0).get("result").get("days").asInt()).isEqualTo(29);
		JsonNode rest = JSON.readTree(
				get("/v1/jobs/ranged/runs?limit=2&cursor=" + page.get("nextCursor").asString(), this.workspace).body());
		assertThat(rest.get("runs")).hasSize(1);
		assertThat(rest.get("runs").get(0).get("runId").asString()).isEqualTo(ids.get(0));
		assertThat(rest.has("nextCursor")).isFalse();
		// another workspace sees none of them
		assertThat(get("/v1/jobs/runs/" + ids.get(0), "someone-else").statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(get("/v1/jobs/ranged/runs", "someone-else").body()).get("runs")).isEmpty();
	}

	@Test
	void publishesTheJobsApiAsAnOpenApiDocument() throws Exception {
		HttpResponse<String> document = get("/v3/api-docs", "jobs-docs");
		assertThat(document.statusCode()).as(document.body()).isEqualTo(200);
		JsonNode paths = JSON.readTree(document.body()).path("paths");
		assertThat(paths.has("/v1/jobs")).as(document.body()).isTrue();
		assertThat(paths.has("/v1/jobs/{job}/runs")).isTrue();
		assertThat(paths.has("/v1/jobs/runs/{runId}")).isTrue();
		// the lake's internal endpoints are not part of the public API
		assertThat(document.body()).doesNotContain("/internal/");
	}

	@Test
	void badRequestsGetProblems() throws Exception {
		assertProblem(post("/v1/jobs/nope/runs", this.workspace, null), 404, "unknown-job");
		assertProblem(get("/v1/jobs/nope/runs", this.workspace), 404, "unknown-job");
		assertProblem(post("/v1/jobs/ranged/runs", this.workspace, "{\"parameters\":{\"rank\":3}}"), 400,
				"invalid-parameter");
		assertProblem(post("/v1/jobs/ranged/runs", this.workspace, "{\"from\":\"2024-02-01\",\"to\":\"2024-01-01\"}"),
				400, "invalid-parameter");
		assertProblem(post("/v1/jobs/hopeless/runs", this.workspace, "{\"from\":\"2024-02-01\"}"), 400,
				"invalid-parameter");
		assertProblem(post("/v1/jobs/ranged/runs", this.workspace, "{\"from\":\"yesterday\"}"), 400, null);
		assertProblem(get("/v1/jobs/ranged/runs?limit=0", this.workspace), 400, "invalid-parameter");
		assertProblem(get("/v1/jobs/ranged/runs?cursor=forged", this.workspace), 400, "invalid-cursor");
		assertProblem(get("/v1/jobs/runs/" + UUID.randomUUID(), this.workspace), 404, "unknown-run");
		assertProblem(get("/v1/jobs/runs/not-a-uuid", this.workspace), 400, "invalid-parameter");
		assertProblem(HTTP.send(HttpRequest.newBuilder(uri("/v1/jobs")).build(), HttpResponse.BodyHandlers.ofString()),
				400, "missing-workspace");
	}

	@Test
	void anotherInstanceHoldingTheLockKeepsTheRunFromStarting() throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		try (Connection other = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password())) {
			other.setAutoCommit(false);
			try (PreparedStatement lock = other
				.prepareStatement("select pg_advisory_xact_lock(hashtext('job:' || ?), hashtext(?))")) {
				lock.setString(1, "ranged");
				lock.setString(2, this.workspace);
				lock.execute();
			}
			String runId = JSON.readTree(post("/v1/jobs/ranged/runs", this.workspace, null).body())
				.get("runId")
				.asString();

			JsonNode failed = awaitFinished(runId, this.workspace);
			assertThat(failed.get("status").asString()).isEqualTo("failed");
			assertThat(failed.get("errorType").asString()).isEqualTo("locked");
			assertThat(failed.has("startedAt")).isFalse();
			other.rollback();
		}
		String again = JSON.readTree(post("/v1/jobs/ranged/runs", this.workspace, null).body()).get("runId").asString();
		assertThat(awaitFinished(again, this.workspace).get("status").asString()).isEqualTo("succeeded");
	}

	@Test
	void cronSlotsStartOneRunPerSlotForEveryWorkspaceWithProfiles() throws Exception {
		String withProfiles = this.workspace + "-p";
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, now(), now(), 1)""", withProfiles, UUID.randomUUID());

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("""
					select count(*) from etl.job_run
					 where workspace_id = ? and job = 'ticking' and trigger = 'schedule' and status = 'succeeded'""",
					Long.class, withProfiles) >= 2);
		assertThat(this.jdbc.queryForObject("""
				select count(*) = count(distinct scheduled_for) from etl.job_run
				 where workspace_id = ? and job = 'ticking'""", Boolean.class, withProfiles)).isTrue();
		assertThat(
				this.jdbc.queryForObject("select count(*) from etl.job_run where workspace_id = ? and job = 'ticking'",
						Long.class, this.workspace))
			.isZero();
		JsonNode ticking = find(JSON.readTree(get("/v1/jobs", withProfiles).body()).get("jobs"), "ticking");
		assertThat(ticking.get("schedule").get("cron").asString()).isEqualTo("* * * * * *");
		assertThat(ticking.get("lastRun").get("trigger").asString()).isEqualTo("schedule");
	}

	@Test
	void runsOfAVanishedInstanceAreTakenOverOrFailedAsAbandonedAndRetried() throws Exception {
		UUID running = UUID.randomUUID();
		UUID queued = UUID.randomUUID();
		Timestamp longAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
		this.jdbc.update("""
				insert into etl.job_run (run_id, job, workspace_id, trigger, status, attempt, queued_at, not_before,
				    started_at, instance_id, heartbeat_at)
				values (?, 'ranged', ?, 'manual', 'running', 1, ?, ?, ?, 'gone-host/1/dead', ?)""", running,
				this.workspace, longAgo, longAgo, longAgo, longAgo);
		this.jdbc.update("""
				insert into etl.job_run (run_id, job, workspace_id, trigger, status, attempt, queued_at, not_before,
				    instance_id, heartbeat_at)
				values (?, 'ranged', ?, 'manual', 'queued', 1, ?, ?, 'gone-host/1/dead', ?)""", queued,
				this.workspace + "-q", longAgo, longAgo, longAgo);

		JsonNode abandoned = awaitFinished(running.toString(), this.workspace);
		assertThat(abandoned.get("status").asString()).isEqualTo("failed");
		assertThat(abandoned.get("errorType").asString()).isEqualTo("abandoned");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("""
					select count(*) from etl.job_run
					 where retry_of = ? and trigger = 'retry' and attempt = 2 and status = 'succeeded'""", Long.class,
					running) == 1);
		assertThat(awaitFinished(queued.toString(), this.workspace + "-q").get("status").asString())
			.isEqualTo("succeeded");
	}

	@Test
	void theAirflowClientTriggersPollsFollowsRetriesAndFailsOnAFailedRun() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(python("--version").exitCode() == 0, "python3 is not installed");
		String url = "http://127.0.0.1:" + this.port;

		Python ranged = python("../deploy/airflow/lodestar_client.py", "--url", url, "--workspace", this.workspace,
				"--poll-interval", "0.2", "run", "ranged", "--from", "2024-03-01", "--to", "2024-03-10");
		assertThat(ranged.exitCode()).as(ranged.stderr()).isZero();
		JsonNode done = JSON.readTree(ranged.stdout());
		assertThat(done.get("status").asString()).isEqualTo("succeeded");
		assertThat(done.get("result").get("days").asInt()).isEqualTo(10);

		Python flaky = python("../deploy/airflow/lodestar_client.py", "--url", url, "--workspace", this.workspace,
				"--poll-interval", "0.2", "run", "flaky", "--param", "failures=1");
		assertThat(flaky.exitCode()).as(flaky.stderr()).isZero();
		assertThat(JSON.readTree(flaky.stdout()).get("attempt").asInt()).isEqualTo(2);

		Python hopeless = python("../deploy/airflow/lodestar_client.py", "--url", url, "--workspace", this.workspace,
				"--poll-interval", "0.2", "run", "hopeless");
		assertThat(hopeless.exitCode()).isEqualTo(1);
		assertThat(hopeless.stderr()).contains("failed (invalid-data): no purchases in this workspace");

		Python unknown = python("../deploy/airflow/lodestar_client.py", "--url", url, "--workspace", this.workspace,
				"run", "nope");
		assertThat(unknown.exitCode()).isEqualTo(2);
		assertThat(unknown.stderr()).contains("404").contains("there is no job 'nope'");
		// the DAG file is valid Python (Airflow itself is not installed here)
		Python dag = python("-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
				"../deploy/airflow/lodestar_jobs_dag.py");
		assertThat(dag.exitCode()).as(dag.stderr()).isZero();
	}

	record Python(int exitCode, String stdout, String stderr) {
	}

	private static Python python(String... arguments) throws Exception {
		List<String> command = new java.util.ArrayList<>(List.of("python3"));
		command.addAll(List.of(arguments));
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (java.io.IOException ex) {
			return new Python(127, "", ex.getMessage());
		}
		java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> read(process.getInputStream()));
		java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> read(process.getErrorStream()));
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("python3 " + arguments[0] + " did not end");
		}
		return new Python(process.exitValue(), out.get(), err.get());
	}

	private static String read(java.io.InputStream stream) {
		try {
			return new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static Duration gap(Map<String, Object> retry) {
		return Duration.between(((Timestamp) retry.get("queued_at")).toInstant(),
				((Timestamp) retry.get("not_before")).toInstant());
	}

	private static JsonNode find(JsonNode jobs, String name) {
		for (JsonNode job : jobs) {
			if (job.get("name").asString().equals(name)) {
				return job;
			}
		}
		throw new AssertionError("no job " + name + " in " + jobs);
	}

	private JsonNode awaitFinished(String runId, String workspace) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			last[0] = JSON.readTree(get("/v1/jobs/runs/" + runId, workspace).body());
			String status = last[0].path("status").asString("");
			return status.equals("succeeded") || status.equals("failed");
		});
		return last[0];
	}

	private static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("application/problem+json"));
		if (type != null) {
			assertThat(JSON.readTree(response.body()).get("type").asString())
				.isEqualTo("https://lodestar.io/problems/" + type);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> get(String path, String workspace) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).header("X-Lodestar-Workspace", workspace).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String workspace, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("X-Lodestar-Workspace", workspace);
		if (json != null) {
			request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The test's jobs. */
	@TestConfiguration(proxyBeanMethods = false)
	static class TestJobs {

		@Bean
		BatchJob blocking() {
			return new TestJob("blocking", List.of(), false) {
				@Override
				public JobResult run(JobContext context) throws Exception {
					context.progress(0.5, "waiting for the test");
					if (!RELEASE.await(60, TimeUnit.SECONDS)) {
						throw new IllegalStateException("the test never released the job");
					}
					return new JobResult(7, 3, Map.of("workspace", context.workspace()));
				}
			};
		}

		@Bean
		BatchJob flaky() {
			return new TestJob("flaky",
					List.of(new JobParameter("failures", JobParameter.Type.INTEGER, "attempts that fail")), false) {
				@Override
				public JobResult run(JobContext context) {
					int failures = context.intParameter("failures", 0);
					if (context.attempt() <= failures) {
						throw new IllegalStateException("planted failure " + context.attempt() + " of " + failures);
					}
					return new JobResult(1, 1, Map.of());
				}
			};
		}

		@Bean
		BatchJob hopeless() {
			return new TestJob("hopeless", List.of(), false) {
				@Override
				public JobResult run(JobContext context) {
					throw new JobDataException("no purchases in this workspace");
				}
			};
		}

		@Bean
		BatchJob ranged() {
			return new TestJob("ranged", List.of(), true) {
				@Override
				public JobResult run(JobContext context) {
					Map<String, Object> summary = new LinkedHashMap<>();
					context.from()
						.ifPresent((from) -> summary.put("days",
								java.time.temporal.ChronoUnit.DAYS.between(from, context.to().orElseThrow()) + 1));
					return new JobResult(0, 0, summary);
				}
			};
		}

		@Bean
		BatchJob ticking() {
			return new TestJob("ticking", List.of(), false) {
				@Override
				public JobResult run(JobContext context) {
					return new JobResult(0, 0, Map.of());
				}
			};
		}

	}

	abstract static class TestJob implements BatchJob {

		private final String name;

		private final List<JobParameter> parameters;

		private final boolean ranged;

		TestJob(String name, List<JobParameter> parameters, boolean ranged) {
			this.name = name;
			this.parameters = parameters;
			this.ranged = ranged;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public String description() {
			return "the test's " + this.name + " job";
		}

		@Override
		public List<JobParameter> parameters() {
			return this.parameters;
		}

		@Override
		public boolean supportsDateRange() {
			return this.ranged;
		}

	}

}
