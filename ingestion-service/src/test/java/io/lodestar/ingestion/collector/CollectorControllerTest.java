package io.lodestar.ingestion.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.ingestion.writekey.WriteKeyOwner;
import io.lodestar.ingestion.writekey.WriteKeyService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(CollectorController.class)
@Import({ CollectorService.class, CollectorSlice.class })
class CollectorControllerTest {

	private static final String KEY = "wk-test";

	@Autowired
	MockMvc mvc;

	@MockitoBean
	WriteKeyService writeKeys;

	@MockitoBean
	EventPublisher publisher;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void knownKey() {
		given(this.writeKeys.authenticate(any())).willReturn(Optional.empty());
		given(this.writeKeys.authenticate(KEY)).willReturn(Optional.of(new WriteKeyOwner("demo", "web")));
	}

	@Test
	void acceptsATrackAndPublishesItsEnvelope() throws Exception {
		this.mvc.perform(json("/v1/track", """
				{"userId":"u-1","anonymousId":"a-1","event":"Order Completed","properties":{"revenue":12.5},
				 "context":{"library":{"name":"analytics-node"}},"messageId":"m-1"}"""))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.success").value(true));

		EventEnvelope envelope = published().get(0);
		assertThat(envelope.type()).isEqualTo("track");
		assertThat(envelope.schemaVersion()).isEqualTo("1-0-0");
		assertThat(envelope.workspaceId()).isEqualTo("demo");
		assertThat(envelope.sourceId()).isEqualTo("web");
		assertThat(envelope.messageId()).isEqualTo("m-1");
		assertThat(envelope.eventId()).isEqualTo(EventEnvelope.eventIdFor("demo", "m-1"));
		assertThat(envelope.identity().userId()).isEqualTo("u-1");
		assertThat(envelope.identity().anonymousId()).isEqualTo("a-1");
		assertThat(envelope.payload()).containsEntry("event", "Order Completed");
		assertThat(envelope.context()).containsEntry("ip", "127.0.0.1").containsKey("library");
		assertThat(envelope.receivedAt()).isNotNull();
		assertThat(envelope.occurredAt()).isEqualTo(envelope.receivedAt());
	}

	@Test
	void everySingleRouteAndItsOneLetterAliasIsServed() throws Exception {
		String[][] routes = { { "/v1/identify", "{\"userId\":\"u\",\"traits\":{\"plan\":\"pro\"}}" },
				{ "/v1/i", "{\"userId\":\"u\"}" }, { "/v1/page", "{\"anonymousId\":\"a\",\"name\":\"Home\"}" },
				{ "/v1/p", "{\"anonymousId\":\"a\"}" }, { "/v1/screen", "{\"userId\":\"u\",\"name\":\"Zone A\"}" },
				{ "/v1/s", "{\"userId\":\"u\"}" }, { "/v1/group", "{\"userId\":\"u\",\"groupId\":\"g\"}" },
				{ "/v1/g", "{\"userId\":\"u\",\"groupId\":\"g\"}" },
				{ "/v1/alias", "{\"userId\":\"u\",\"previousId\":\"a\"}" },
				{ "/v1/a", "{\"userId\":\"u\",\"previousId\":\"a\"}" },
				{ "/v1/t", "{\"userId\":\"u\",\"event\":\"x\"}" } };
		for (String[] route : routes) {
			this.mvc.perform(json(route[0], route[1])).andExpect(status().isOk());
		}
	}

	@Test
	void correctsTheClientClockSkew() throws Exception {
		this.mvc.perform(json("/v1/track",
				"""
						{"userId":"u","event":"x","originalTimestamp":"2026-11-20T10:00:00Z","sentAt":"2026-11-20T10:00:30Z"}"""))
			.andExpect(status().isOk());

		EventEnvelope envelope = published().get(0);
		assertThat(envelope.occurredAt()).isEqualTo(envelope.receivedAt().minusSeconds(30));
	}

	@Test
	void malformedJsonIsA400Problem() throws Exception {
		this.mvc.perform(json("/v1/track", "{\"userId\":\"u\",\"event\":"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/malformed-request"));
		verify(this.publisher, never()).publish(anyList());
	}

	@Test
	void invalidMessageIsA400ProblemSayingWhyAndIsDeadLettered() throws Exception {
		double before = missingEventRejections();
		this.mvc.perform(json("/v1/track", "{\"properties\":{}}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-messages"))
			.andExpect(jsonPath("$.accepted").value(0))
			.andExpect(jsonPath("$.rejected[0].index").value(0))
			.andExpect(jsonPath("$.rejected[0].reasons[0]").value("userId or anonymousId is required"))
			.andExpect(jsonPath("$.rejected[0].reasons[1]").value("event is required for track"));
		verify(this.publisher, never()).publish(anyList());
		@SuppressWarnings("unchecked")
		ArgumentCaptor<List<RejectedEvent>> dead = ArgumentCaptor.forClass(List.class);
		verify(this.publisher).publishRejected(dead.capture());
		assertThat(missingEventRejections() - before).isEqualTo(1);
		assertThat(dead.getValue()).singleElement().satisfies((rejected) -> {
			assertThat(rejected.route()).isEqualTo("/v1/track");
			assertThat(rejected.workspaceId()).isEqualTo("demo");
			assertThat(rejected.reasons()).contains("event is required for track");
		});
	}

	@Test
	void wrongTypesAndOverlongIdsAreRefused() throws Exception {
		this.mvc.perform(json("/v1/identify", "{\"userId\":{\"x\":1},\"traits\":[1]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.rejected[0].reasons")
				.value(org.hamcrest.Matchers.hasItems("userId must be a string", "traits must be an object")));
		this.mvc
			.perform(json("/v1/track", "{\"userId\":\"u\",\"event\":\"x\",\"messageId\":\"" + "m".repeat(101) + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.rejected[0].reasons[0]").value("messageId is longer than 100 characters"));
		this.mvc.perform(json("/v1/track", "{\"userId\":\"u\",\"event\":\"x\",\"timestamp\":\"yesterday\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.rejected[0].reasons[0]").value("timestamp must be an ISO-8601 date-time string"));
	}

	@Test
	void missingOrUnknownWriteKeyIsA401Problem() throws Exception {
		this.mvc
			.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON)
				.content("{\"userId\":\"u\",\"event\":\"x\"}"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Basic realm=\"lodestar\""))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/invalid-write-key"));
		this.mvc
			.perform(post("/v1/track").header("Authorization", CollectorSlice.basic("nope"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"userId\":\"u\",\"event\":\"x\"}"))
			.andExpect(status().isUnauthorized());
		verify(this.publisher, never()).publish(anyList());
	}

	@Test
	void writeKeyMayComeInTheBody() throws Exception {
		this.mvc
			.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON)
				.content("{\"writeKey\":\"" + KEY + "\",\"userId\":\"u\",\"event\":\"x\"}"))
			.andExpect(status().isOk());
	}

	@Test
	void acceptsTextPlainAndGzipBodies() throws Exception {
		this.mvc
			.perform(post("/v1/t").header("Authorization", CollectorSlice.basic(KEY))
				.contentType(MediaType.TEXT_PLAIN)
				.content("{\"userId\":\"u\",\"event\":\"x\"}"))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/v1/batch").header("Authorization", CollectorSlice.basic(KEY))
				.header("Content-Encoding", "gzip")
				.contentType(MediaType.APPLICATION_JSON)
				.content(gzip("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\"}]}")))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/v1/batch").header("Authorization", CollectorSlice.basic(KEY))
				.header("Content-Encoding", "gzip")
				.contentType(MediaType.APPLICATION_JSON)
				.content("not gzip at all"))
			.andExpect(status().isBadRequest());
	}

	@Test
	void batchAcceptsTheValidMessagesAndReportsTheOthersByIndex() throws Exception {
		this.mvc
			.perform(json("/v1/batch",
					"""
							{"context":{"app":{"name":"kiosk"}},"integrations":{"All":true},"sentAt":"2026-11-20T10:00:10Z",
							 "batch":[{"type":"track","userId":"u","event":"Zone Viewed","timestamp":"2026-11-20T10:00:00Z","context":{"screen":{"id":"k7"}}},
							          {"type":"track","userId":"u"},
							          {"type":"purchase","userId":"u"},
							          {"type":"identify","userId":"u","traits":{"plan":"pro"}}]}"""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.accepted").value(2))
			.andExpect(jsonPath("$.rejected.length()").value(2))
			.andExpect(jsonPath("$.rejected[0].index").value(1))
			.andExpect(jsonPath("$.rejected[1].index").value(2))
			.andExpect(jsonPath("$.rejected[1].reasons[0]")
				.value("type must be one of track, identify, page, screen, group, alias"));

		List<EventEnvelope> envelopes = published();
		assertThat(envelopes).extracting(EventEnvelope::type).containsExactly("track", "identify");
		assertThat(envelopes.get(0).context()).containsKeys("app", "screen", "ip");
		assertThat(envelopes.get(0).payload()).containsKey("integrations");
		assertThat(envelopes.get(0).occurredAt()).isEqualTo(envelopes.get(0).receivedAt().minusSeconds(10));
	}

	@Test
	void oversizedBodiesAndBatchesAre413() throws Exception {
		this.mvc
			.perform(json("/v1/track",
					"{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\"" + "x".repeat(40_000) + "\"}}"))
			.andExpect(status().isContentTooLarge())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/request-too-large"));
		StringBuilder batch = new StringBuilder("{\"batch\":[");
		for (int i = 0; i < 2501; i++) {
			batch.append((i > 0) ? "," : "").append("{\"type\":\"page\",\"userId\":\"u\"}");
		}
		this.mvc.perform(json("/v1/batch", batch.append("]}").toString())).andExpect(status().isContentTooLarge());
		this.mvc
			.perform(json("/v1/batch",
					"{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\""
							+ "x".repeat(33_000) + "\"}}]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.rejected[0].reasons[0]").value("message is larger than 32 KB"));
		verify(this.publisher, never()).publish(anyList());
	}

	@Test
	void kafkaUnavailableIsA503WithRetryAfterNeverA200() throws Exception {
		willThrow(CollectorException.unavailable(5)).given(this.publisher).publish(anyList());

		this.mvc.perform(json("/v1/track", "{\"userId\":\"u\",\"event\":\"x\"}"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/event-store-unavailable"));
	}

	private double missingEventRejections() {
		return this.meters
			.counter("lodestar.collector.rejections", "route", "/v1/track", "reason", "event is required for track")
			.count();
	}

	private List<EventEnvelope> published() {
		@SuppressWarnings("unchecked")
		ArgumentCaptor<List<EventEnvelope>> captor = ArgumentCaptor.forClass(List.class);
		verify(this.publisher).publish(captor.capture());
		return captor.getValue();
	}

	private static MockHttpServletRequestBuilder json(String route, String body) {
		return post(route).header("Authorization", CollectorSlice.basic(KEY))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

	private static byte[] gzip(String text) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		return bytes.toByteArray();
	}

}
