package io.lodestar.segment.destination;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Webhook destinations on the real database against a real HTTP endpoint on loopback: the
 * audience first, then every change, signed, in order, with consent respected; retries
 * with backoff after failures; pause and resume; the delivery log.
 */
@SpringBootTest(properties = { "lodestar.segment.recompute-cron=-", "lodestar.segment.incremental-interval=1h",
		"lodestar.segment.webhooks.allow-private-targets=true", "lodestar.segment.webhooks.dispatch-interval=200ms" })
@AutoConfigureMockMvc
class WebhookDestinationIT {

	private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

	/** How many of the next requests the endpoint refuses with 503 and Retry-After: 1. */
	private static final AtomicInteger REFUSE = new AtomicInteger();

	private static final HttpServer ENDPOINT = endpoint();

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "hook-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

	@AfterAll
	static void stop() {
		ENDPOINT.stop(0);
	}

	@BeforeEach
	void clear() {
		RECEIVED.clear();
		REFUSE.set(0);
	}

	@Test
	void aNewDestinationGetsTheAudienceThenEveryChangeSignedWithConsentRespected() throws Exception {
		UUID consenting = profile("u-consenting", "{\"plan\":\"pro\",\"email\":\"ana@example.com\"}", true);
		UUID silent = profile("u-silent", "{\"plan\":\"pro\",\"email\":\"bo@example.com\"}", false);
		profile("u-free", "{\"plan\":\"free\"}", true);
		String segment = segment("{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}");

		String created = call(post("/v1/segments/" + segment + "/destinations"),
				"{\"name\":\"CRM\",\"url\":\"" + url() + "\",\"batchSize\":10}")
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String secret = JsonPath.read(created, "$.signingSecret");
		String destination = JsonPath.read(created, "$.destination.destinationId");
		assertThat(secret).startsWith("whsec_");
		assertThat(call(get("/v1/segments/" + segment + "/destinations"), null).andReturn()
			.getResponse()
			.getContentAsString()).contains(destination).doesNotContain(secret);

		// the current audience: only the member with marketing consent enters, with email
		Received first = await().atMost(Duration.ofSeconds(20))
			.until(() -> RECEIVED.isEmpty() ? null : RECEIVED.get(0), (received) -> received != null);
		assertThat(first.signatureValid(secret)).isTrue();
		assertThat(JsonPath.<List<String>>read(first.body(), "$.changes[*].profileId"))
			.containsExactly(consenting.toString());
		assertThat(JsonPath.<String>read(first.body(), "$.changes[0].change")).isEqualTo("entered");
		assertThat(JsonPath.<String>read(first.body(), "$.changes[0].email")).isEqualTo("ana@example.com");
		assertThat(JsonPath.<String>read(first.body(), "$.segment.segmentId")).isEqualTo(segment);
		assertThat(first.body()).doesNotContain(silent.toString()).doesNotContain("bo@example.com");

		// both leave: exits are always sent, the unconsented one's too, in one batch
		this.jdbc.update("update profile.profile set traits = '{\"plan\":\"free\"}'::jsonb where workspace_id = ?",
				this.workspace);
		call(post("/v1/segments/" + segment + "/recompute"), "").andExpect(jsonPath("$.exited").value(2));
		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.size() >= 2);
		Received exits = RECEIVED.get(1);
		assertThat(exits.signatureValid(secret)).isTrue();
		assertThat(JsonPath.<List<String>>read(exits.body(), "$.changes[*].change")).containsOnly("exited");
		assertThat(JsonPath.<List<String>>read(exits.body(), "$.changes[*].profileId"))
			.containsExactlyInAnyOrder(consenting.toString(), silent.toString());
		assertThat(exits.body()).doesNotContain("@example.com");

		String log = call(get("/v1/segments/" + segment + "/destinations/" + destination + "/deliveries"), null)
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(JsonPath.<List<String>>read(log, "$[*].outcome")).containsExactly("delivered", "delivered");
		assertThat(JsonPath.<List<Integer>>read(log, "$[*].skipped")).containsExactly(0, 1);
		assertThat(this.jdbc.queryForObject("select count(*) from segment.destination_queue where destination_id = ?",
				Long.class, UUID.fromString(destination)))
			.isZero();
	}

	@Test
	void aFailingEndpointIsRetriedWithBackoffAndAPausedOneWaits() throws Exception {
		profile("u-retry", "{\"tier\":\"gold\"}", true);
		String segment = segment("{\"type\":\"trait\",\"trait\":\"tier\",\"op\":\"eq\",\"value\":\"gold\"}");
		REFUSE.set(2);
		String created = call(post("/v1/segments/" + segment + "/destinations"),
				"{\"name\":\"Flaky\",\"url\":\"" + url() + "\"}")
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String destination = JsonPath.read(created, "$.destination.destinationId");
		String base = "/v1/segments/" + segment + "/destinations/" + destination;

		await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVED.size() >= 3);
		assertThat(RECEIVED.get(2).status()).isEqualTo(200);
		assertThat(RECEIVED.get(0).deliveryId()).isNotEqualTo(RECEIVED.get(2).deliveryId());
		assertThat(RECEIVED.get(0).body().replaceAll("\"deliveryId\":\"[^\"]+\"", "")).as("the same batch, retried")
			.isEqualTo(RECEIVED.get(2).body().replaceAll("\"deliveryId\":\"[^\"]+\"", ""));
		assertThat(Duration.between(RECEIVED.get(0).at(), RECEIVED.get(1).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(900));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String log = call(get(base + "/deliveries"), null).andReturn().getResponse().getContentAsString();
			assertThat(JsonPath.<List<String>>read(log, "$[*].outcome")).containsExactly("delivered", "failed",
					"failed");
			assertThat(JsonPath.<List<Integer>>read(log, "$[*].attempt")).containsExactly(3, 2, 1);
			assertThat(JsonPath.<Integer>read(log, "$[1].httpStatus")).isEqualTo(503);
		});

		// paused, it keeps queueing but sends nothing; resumed, it delivers the backlog
		call(patch(base), "{\"enabled\":false}").andExpect(jsonPath("$.enabled").value(false));
		this.jdbc.update("update profile.profile set traits = '{\"tier\":\"silver\"}'::jsonb where workspace_id = ?",
				this.workspace);
		call(post("/v1/segments/" + segment + "/recompute"), "").andExpect(jsonPath("$.exited").value(1));
		Thread.sleep(1500);
		assertThat(RECEIVED).hasSize(3);
		call(get(base), null).andExpect(jsonPath("$.pending").value(1));
		call(patch(base), "{\"enabled\":true}").andExpect(status().isOk());
		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.size() >= 4);
		assertThat(RECEIVED.get(3).body()).contains("\"exited\"");
	}

	@Test
	void destinationsAreInvisibleToOtherWorkspacesAndBadInputIsAProblem() throws Exception {
		String segment = segment("{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"x\"}");
		call(post("/v1/segments/" + segment + "/destinations"), "{\"name\":\"\",\"url\":\"" + url() + "\"}")
			.andExpect(status().isBadRequest());
		call(post("/v1/segments/" + segment + "/destinations"), "{\"name\":\"x\",\"url\":\"ftp://example.com\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-destination"));
		call(post("/v1/segments/" + segment + "/destinations"),
				"{\"name\":\"x\",\"url\":\"" + url() + "\",\"batchSize\":5000}")
			.andExpect(status().isBadRequest());
		this.mvc.perform(get("/v1/segments/" + segment + "/destinations").header(Workspace.HEADER, "someone-else"))
			.andExpect(status().isNotFound());
	}

	private String segment(String rule) throws Exception {
		String created = call(post("/v1/segments"), "{\"name\":\"s-" + UUID.randomUUID() + "\",\"rule\":" + rule + "}")
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = JsonPath.read(created, "$.segmentId");
		call(post("/v1/segments/" + id + "/recompute"), "").andExpect(status().isOk());
		return id;
	}

	private UUID profile(String userId, String traits, boolean marketingConsent) {
		UUID id = UUID.randomUUID();
		this.jdbc.update(
				"""
						insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
						values (?, ?, ?, ?::jsonb, ?, ?, 1)""",
				this.workspace, id, userId, traits, Timestamp.from(Instant.now()), Timestamp.from(Instant.now()));
		this.jdbc.update("""
				insert into profile.profile_consent (workspace_id, profile_id, purpose, granted, source, recorded_at)
				values (?, ?, 'marketing', ?, 'test', now())""", this.workspace, id, marketingConsent);
		return id;
	}

	private ResultActions call(MockHttpServletRequestBuilder request, String body) throws Exception {
		request.header(Workspace.HEADER, this.workspace);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return this.mvc.perform(request);
	}

	private static String url() {
		return "http://127.0.0.1:" + ENDPOINT.getAddress().getPort() + "/hook";
	}

	private static HttpServer endpoint() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/hook", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				int status = (REFUSE.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 503 : 200;
				RECEIVED.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Lodestar-Signature"),
						exchange.getRequestHeaders().getFirst("X-Lodestar-Delivery"), status, Instant.now()));
				if (status == 503) {
					exchange.getResponseHeaders().set("Retry-After", "1");
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Received(String body, String signature, String deliveryId, int status, Instant at) {

		/** What a receiver does: recompute the HMAC over "t.body" with the secret. */
		boolean signatureValid(String secret) throws Exception {
			String timestamp = this.signature.replaceAll("^t=(\\d+),v1=.*$", "$1");
			String expected = this.signature.replaceAll("^t=\\d+,v1=", "");
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			String actual = java.util.HexFormat.of()
				.formatHex(mac.doFinal((timestamp + "." + this.body).getBytes(StandardCharsets.UTF_8)));
			return actual.equals(expected)
					&& Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300;
		}

	}

}
