package io.lodestar.recommender.model;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import io.lodestar.recommender.Fixture;
import io.lodestar.recommender.RecommenderIntegrationTest;
import io.lodestar.web.Workspace;

import static io.lodestar.recommender.Fixture.f;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Promotion by policy, pin, unpin, rollback and the reload of the models in memory, on
 * the real database: candidates are written into the contract tables as the training job
 * writes them. Each version plants factors that make its own answer for the customer (its
 * first item), so an answer tells which version gave it.
 */
class ModelLifecycleIT extends RecommenderIntegrationTest {

	@Autowired
	ModelLifecycle lifecycle;

	@Autowired
	ModelRegistry registry;

	@Autowired
	ModelVersions versions;

	Fixture data;

	UUID customer;

	Instant day = Instant.parse("2026-11-01T00:00:00Z");

	@BeforeEach
	void workspace() {
		this.data = new Fixture(this.jdbc);
		this.customer = this.data.profile("c-1");
	}

	/** A candidate whose best item for the customer is {@code best}. */
	private UUID candidate(Double ndcg, String best) {
		this.day = this.day.plusSeconds(86400);
		UUID version = this.data.candidate(ndcg, this.day);
		Map<String, float[]> factors = new LinkedHashMap<>();
		for (String item : List.of("P", "Q", "R", "S")) {
			factors.put(item, item.equals(best) ? f(1, 0) : f(0, (item.charAt(0) - 'O') * 0.1));
		}
		this.data.items(version, factors, Map.of());
		this.data.user(version, this.customer, f(1, 1), List.of());
		return version;
	}

	@Test
	void ifBetterPromotesOnlyACandidateWhoseNdcgBeatsTheServingVersion() throws Exception {
		UUID first = candidate(0.10, "P");
		this.lifecycle.poll();
		assertThat(statusOf(first)).isEqualTo("serving");
		assertThat(decision(first))
			.startsWith("promoted (policy if-better): no version was serving; ALS NDCG@10 0.1000")
			.contains("popularity 0.0500", "item-kNN 0.0700");

		UUID worse = candidate(0.08, "Q");
		UUID better = candidate(0.12, "R");
		UUID noMetric = candidate(null, "S");
		this.lifecycle.poll();
		assertThat(statusOf(worse)).isEqualTo("rejected");
		assertThat(decision(worse)).isEqualTo(
				"rejected (policy if-better): does not beat it, ALS NDCG@10 0.0800 vs 0.1000 of version " + first);
		assertThat(statusOf(better)).isEqualTo("serving");
		assertThat(decision(better))
			.isEqualTo("promoted (policy if-better): ALS NDCG@10 0.1200 vs 0.1000 of version " + first);
		assertThat(statusOf(first)).isEqualTo("retired");
		assertThat(statusOf(noMetric)).isEqualTo("rejected");
		assertThat(decision(noMetric)).contains("no als.ndcg");

		// the answers follow once the model is reloaded
		this.registry.reload();
		answerOf(better);

		call(get("/v1/recommendations/models")).andExpect(status().isOk())
			.andExpect(jsonPath("$.promotionPolicy").value("if-better"))
			.andExpect(jsonPath("$.servingVersionId").value(better.toString()))
			.andExpect(jsonPath("$.loadedVersionId").value(better.toString()))
			.andExpect(jsonPath("$.versions[*].versionId",
					contains(noMetric.toString(), better.toString(), worse.toString(), first.toString())))
			.andExpect(jsonPath("$.versions[*].status", contains("rejected", "serving", "rejected", "retired")))
			.andExpect(jsonPath("$.versions[1].metrics.als.ndcg").value(0.12))
			.andExpect(jsonPath("$.versions[1].metrics.k").value(10))
			.andExpect(jsonPath("$.versions[1].params.rank").value(3))
			.andExpect(jsonPath("$.versions[1].loaded").value(true))
			.andExpect(jsonPath("$.versions[1].decision", startsWith("promoted")));
		call(get("/v1/recommendations/models/" + better)).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("serving"));
	}

	@Test
	void alwaysPromotesEveryCandidateAndManualWaitsForTheApi() throws Exception {
		settings("{\"promotionPolicy\":\"always\"}");
		UUID first = candidate(0.20, "P");
		UUID worse = candidate(0.01, "Q");
		this.lifecycle.poll();
		assertThat(statusOf(first)).isEqualTo("retired");
		assertThat(statusOf(worse)).isEqualTo("serving");
		assertThat(decision(worse)).startsWith("promoted (policy always)");

		settings("{\"promotionPolicy\":\"manual\"}");
		UUID waiting = candidate(0.50, "R");
		this.lifecycle.poll();
		this.lifecycle.poll();
		assertThat(statusOf(waiting)).isEqualTo("candidate");
		assertThat(decision(waiting)).startsWith("waiting for promotion through the API (policy manual)");
		call(post("/v1/recommendations/models/" + waiting + "/promote")).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("serving"))
			.andExpect(jsonPath("$.pinned").value(false))
			.andExpect(jsonPath("$.decision").value("promoted through the API (was candidate)"));
		assertThat(statusOf(worse)).isEqualTo("retired");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answerOf(waiting));

		// back to the service's default
		settings("{}");
		call(get("/v1/recommendations/settings")).andExpect(jsonPath("$.promotionPolicy").value("if-better"))
			.andExpect(jsonPath("$.promotionPolicySource").value("default"))
			.andExpect(jsonPath("$.repeatableCategories").isEmpty());
		call(put("/v1/recommendations/settings").contentType(MediaType.APPLICATION_JSON)
			.content("{\"promotionPolicy\":\"sometimes\"}")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-settings"));
	}

	@Test
	void aPinnedVersionServesUntilUnpinnedAndCandidatesWaitForIt() throws Exception {
		UUID first = candidate(0.10, "P");
		this.lifecycle.poll();
		UUID second = candidate(0.20, "Q");
		this.lifecycle.poll();
		assertThat(statusOf(second)).isEqualTo("serving");

		// pin the older version: it serves again, and automatic promotion stops
		call(post("/v1/recommendations/models/" + first + "/pin")).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("serving"))
			.andExpect(jsonPath("$.pinned").value(true));
		assertThat(statusOf(second)).isEqualTo("retired");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answerOf(first));
		UUID third = candidate(0.90, "R");
		this.lifecycle.poll();
		assertThat(statusOf(third)).isEqualTo("candidate");
		assertThat(decision(third))
			.isEqualTo("waiting: version " + first + " is pinned (automatic promotion resumes on unpin)");
		// promoting another version through the API while one is pinned is refused
		call(post("/v1/recommendations/models/" + second + "/promote")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/model-pinned"));

		// unpin: the waiting candidate is decided at once (0.90 beats 0.10)
		call(post("/v1/recommendations/models/" + first + "/unpin")).andExpect(status().isOk())
			.andExpect(jsonPath("$.pinned").value(false))
			.andExpect(jsonPath("$.status").value("retired"));
		assertThat(statusOf(third)).isEqualTo("serving");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answerOf(third));
	}

	@Test
	void rollbackWalksBackThroughTheVersionsThatServed() throws Exception {
		call(post("/v1/recommendations/models/rollback")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/no-serving-version"));
		UUID a = candidate(0.10, "P");
		this.lifecycle.poll();
		call(post("/v1/recommendations/models/rollback")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/no-previous-version"));
		UUID b = candidate(0.20, "Q");
		this.lifecycle.poll();
		UUID c = candidate(0.30, "R");
		this.lifecycle.poll();
		assertThat(statusOf(c)).isEqualTo("serving");

		call(post("/v1/recommendations/models/rollback")).andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(b.toString()))
			.andExpect(jsonPath("$.status").value("serving"))
			.andExpect(jsonPath("$.decision").value("serving again after a rollback from version " + c));
		assertThat(statusOf(c)).isEqualTo("retired");
		assertThat(decision(c)).isEqualTo("rolled back through the API to version " + b);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answerOf(b));
		// again: to the version before b, not back to c
		call(post("/v1/recommendations/models/rollback")).andExpect(status().isOk())
			.andExpect(jsonPath("$.versionId").value(a.toString()));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answerOf(a));
		call(post("/v1/recommendations/models/rollback")).andExpect(status().isConflict());
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.model_version where workspace_id = ? and status = 'serving'",
				Integer.class, this.data.workspace()))
			.isEqualTo(1);
	}

	@Test
	void oldVersionsLoseTheirFactorsButKeepTheirMetrics() throws Exception {
		UUID a = candidate(0.10, "P");
		this.lifecycle.poll();
		UUID b = candidate(0.20, "Q");
		this.lifecycle.poll();
		UUID c = candidate(0.30, "R");
		this.lifecycle.poll();
		UUID d = candidate(0.05, "S");
		this.lifecycle.poll();
		assertThat(List.of(statusOf(a), statusOf(b), statusOf(c), statusOf(d))).containsExactly("retired", "retired",
				"serving", "rejected");
		// the default (10 per workspace) keeps them all
		assertThat(this.versions.prune(10)).doesNotContain(a, b, c, d);

		// keep one: the newest retired or rejected (d) keeps its factors, a and b lose
		// theirs
		List<UUID> pruned = this.versions.prune(1);
		assertThat(pruned).contains(a, b).doesNotContain(c, d);
		assertThat(this.jdbc.queryForObject("select count(*) from recommender.model_item where version_id in (?, ?)",
				Integer.class, a, b))
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from recommender.model_user where version_id in (?, ?)",
				Integer.class, a, b))
			.isZero();
		call(get("/v1/recommendations/models")).andExpect(status().isOk())
			.andExpect(jsonPath("$.versions[*].versionId",
					contains(d.toString(), c.toString(), b.toString(), a.toString())))
			.andExpect(jsonPath("$.versions[*].factors", contains(true, true, false, false)))
			.andExpect(jsonPath("$.versions[3].metrics.als.ndcg").value(0.1))
			.andExpect(jsonPath("$.versions[3].decision", startsWith("retired")));
		// nothing left to roll back to or pin among the pruned
		call(post("/v1/recommendations/models/rollback")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/no-previous-version"));
		call(post("/v1/recommendations/models/" + a + "/pin")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/model-empty"));
		// the rejected one, kept, can still be pinned
		call(post("/v1/recommendations/models/" + d + "/pin")).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("serving"));
	}

	@Test
	void unknownVersionsAre404AndMalformedIds400() throws Exception {
		UUID elsewhere = new Fixture(this.jdbc).candidate(0.1, Instant.now());
		for (String path : List.of("/v1/recommendations/models/" + UUID.randomUUID() + "/pin",
				"/v1/recommendations/models/" + elsewhere + "/pin",
				"/v1/recommendations/models/" + elsewhere + "/unpin")) {
			call(post(path)).andExpect(status().isNotFound())
				.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/model-not-found"));
		}
		call(get("/v1/recommendations/models/" + elsewhere)).andExpect(status().isNotFound());
		call(post("/v1/recommendations/models/12345/pin")).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-parameter"));
		call(get("/v1/recommendations/models?limit=0")).andExpect(status().isBadRequest());
		// a version without factors cannot serve
		UUID empty = this.data.candidate(0.5, Instant.now());
		call(post("/v1/recommendations/models/" + empty + "/pin")).andExpect(status().isConflict())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/model-empty"));
	}

	/**
	 * 16 clients ask over HTTP without pause while the serving version flips between two
	 * versions 20 times: every answer succeeds and is entirely one version's.
	 */
	@Test
	void reloadsUnderConcurrentLoadNeverFailOrMixVersions() throws Exception {
		UUID a = candidate(0.10, "P");
		UUID b = candidate(0.20, "S");
		// the rest of each version's answer, from its factors: P is best in a, S in b
		Map<String, List<String>> expected = Map.of(a.toString(), List.of("P", "S", "R", "Q"), b.toString(),
				List.of("S", "R", "Q", "P"));
		call(post("/v1/recommendations/models/" + a + "/promote")).andExpect(status().isOk());
		this.registry.reload();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong answers = new AtomicLong();
		AtomicInteger failures = new AtomicInteger();
		List<String> problems = new ArrayList<>();
		Set<String> seen = ConcurrentHashMap.newKeySet();
		ExecutorService clients = Executors.newFixedThreadPool(16);
		List<Future<?>> futures = new ArrayList<>();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/v1/recommendations/profiles/" + this.customer);
		for (int c = 0; c < 16; c++) {
			futures.add(clients.submit(() -> {
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				while (running.get()) {
					try {
						HttpResponse<String> response = http.send(
								HttpRequest.newBuilder(uri).header(Workspace.HEADER, this.data.workspace()).build(),
								HttpResponse.BodyHandlers.ofString());
						String version = (response.statusCode() == 200) ? JsonPath.read(response.body(), "$.versionId")
								: null;
						List<String> items = (version != null) ? JsonPath.read(response.body(), "$.items[*].itemId")
								: null;
						if (version == null || !expected.get(version).equals(items)) {
							failures.incrementAndGet();
							synchronized (problems) {
								problems.add(response.statusCode() + " " + response.body());
							}
						}
						else {
							seen.add(version);
						}
						answers.incrementAndGet();
					}
					catch (Exception ex) {
						failures.incrementAndGet();
						synchronized (problems) {
							problems.add(ex.toString());
						}
					}
				}
				return null;
			}));
		}
		try {
			for (int flip = 0; flip < 20; flip++) {
				UUID next = (flip % 2 == 0) ? b : a;
				call(post("/v1/recommendations/models/" + next + "/promote")).andExpect(status().isOk());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.registry.current(this.data.workspace()).versionId().equals(next));
			}
		}
		finally {
			running.set(false);
			for (Future<?> future : futures) {
				future.get();
			}
			clients.shutdown();
		}
		assertThat(problems).isEmpty();
		assertThat(failures.get()).isZero();
		assertThat(seen).containsExactlyInAnyOrder(a.toString(), b.toString());
		assertThat(answers.get()).isGreaterThan(200);
	}

	private void answerOf(UUID version) throws Exception {
		String body = call(get("/v1/recommendations/profiles/" + this.customer)).andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat((String) JsonPath.read(body, "$.versionId")).isEqualTo(version.toString());
	}

	private void settings(String body) throws Exception {
		call(put("/v1/recommendations/settings").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isOk());
	}

	private String statusOf(UUID version) {
		return this.jdbc.queryForObject("select status from recommender.model_version where version_id = ?",
				String.class, version);
	}

	private String decision(UUID version) {
		return this.jdbc.queryForObject("select decision from recommender.model_version where version_id = ?",
				String.class, version);
	}

	private ResultActions call(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
			throws Exception {
		return this.mvc.perform(request.header(Workspace.HEADER, this.data.workspace()));
	}

}
