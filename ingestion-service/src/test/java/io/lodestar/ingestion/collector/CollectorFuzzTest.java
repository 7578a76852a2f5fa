package io.lodestar.ingestion.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.lodestar.ingestion.writekey.WriteKeyOwner;
import io.lodestar.ingestion.writekey.WriteKeyService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Thousands of seeded random bad requests — malformed, truncated, oversized, deeply
 * nested, wrongly typed, not UTF-8, bad gzip — never produce a server error, and every
 * refusal is problem JSON.
 */
@WebMvcTest(CollectorController.class)
@Import({ CollectorService.class, CollectorSlice.class })
class CollectorFuzzTest {

	private static final String KEY = "fuzz-key";

	private static final String[] ROUTES = { "/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group",
			"/v1/alias", "/v1/batch", "/v1/import", "/v1/t", "/v1/b" };

	private static final String VALID = "{\"type\":\"track\",\"userId\":\"u-1\",\"anonymousId\":\"a-1\",\"event\":\"Clicked\","
			+ "\"properties\":{\"price\":1.5,\"tags\":[\"a\",\"b\"]},\"context\":{\"ip\":\"203.0.113.9\"},"
			+ "\"timestamp\":\"2026-11-20T10:00:00Z\",\"messageId\":\"m-1\"}";

	private static final Set<Integer> CLIENT_ANSWERS = Set.of(200, 400, 401, 413);

	@Autowired
	MockMvc mvc;

	@MockitoBean
	WriteKeyService writeKeys;

	@MockitoBean
	EventPublisher publisher;

	@Test
	void noRandomBadRequestCausesAServerErrorAndEveryRefusalIsProblemJson() throws Exception {
		given(this.writeKeys.authenticate(any())).willReturn(Optional.empty());
		given(this.writeKeys.authenticate(KEY)).willReturn(Optional.of(new WriteKeyOwner("demo", "web")));
		SplittableRandom random = new SplittableRandom(20261124L);
		int refused = 0;
		for (int i = 0; i < 3000; i++) {
			String route = ROUTES[random.nextInt(ROUTES.length)];
			MockHttpServletResponse response = this.mvc.perform(request(route, random)).andReturn().getResponse();
			assertThat(CLIENT_ANSWERS)
				.as("request %d to %s answered %d: %s", i, route, response.getStatus(), response.getContentAsString())
				.contains(response.getStatus());
			if (response.getStatus() != 200) {
				refused++;
				assertThat(response.getContentType()).as("request %d", i).startsWith("application/problem+json");
			}
		}
		assertThat(refused).as("most random requests are bad").isGreaterThan(2000);
		MockHttpServletResponse after = this.mvc
			.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON)
				.header("Authorization", CollectorSlice.basic(KEY))
				.content(VALID))
			.andReturn()
			.getResponse();
		assertThat(after.getStatus()).as("a good request still succeeds afterwards").isEqualTo(200);
	}

	private static MockHttpServletRequestBuilder request(String route, SplittableRandom random) throws Exception {
		byte[] body = body(route, random);
		MockHttpServletRequestBuilder request = post(route)
			.contentType(random.nextBoolean() ? MediaType.APPLICATION_JSON : MediaType.TEXT_PLAIN);
		int auth = random.nextInt(10);
		if (auth < 8) {
			request.header("Authorization", CollectorSlice.basic(KEY));
		}
		else if (auth == 8) {
			request.header("Authorization", "Basic %%%not-base64");
		}
		if (random.nextInt(8) == 0) {
			request.header("Content-Encoding", "gzip");
			body = (random.nextBoolean()) ? gzip(body) : body;
		}
		return request.content(body);
	}

	private static byte[] body(String route, SplittableRandom random) {
		boolean batch = route.endsWith("batch") || route.endsWith("import") || route.endsWith("/b");
		String valid = batch ? "{\"batch\":[" + VALID + "," + VALID.replace("m-1", "m-2") + "]}" : VALID;
		return switch (random.nextInt(10)) {
			case 0 -> valid.substring(0, random.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
			case 1 -> randomBytes(random, 1 + random.nextInt(2000));
			case 2 -> nested(random.nextBoolean() ? 100 : 5000).getBytes(StandardCharsets.UTF_8);
			case 3 -> mutateType(valid, random).getBytes(StandardCharsets.UTF_8);
			case 4 -> ("{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"blob\":\""
					+ "x".repeat(random.nextInt(700_000)) + "\"}}")
				.getBytes(StandardCharsets.UTF_8);
			case 5 -> flipBytes(valid.getBytes(StandardCharsets.UTF_8), random);
			case 6 -> new byte[] { (byte) 0xC3, (byte) 0x28, '{', '}', (byte) 0xFF };
			case 7 -> randomJsonScalar(random).getBytes(StandardCharsets.UTF_8);
			case 8 -> manyMessages(random).getBytes(StandardCharsets.UTF_8);
			default -> valid.getBytes(StandardCharsets.UTF_8);
		};
	}

	private static String nested(int depth) {
		return "{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"deep\":" + "[".repeat(depth) + "]".repeat(depth)
				+ "}}";
	}

	private static String mutateType(String valid, SplittableRandom random) {
		List<String> fields = List.of("\"userId\":\"u-1\"", "\"event\":\"Clicked\"",
				"\"properties\":{\"price\":1.5,\"tags\":[\"a\",\"b\"]}", "\"context\":{\"ip\":\"203.0.113.9\"}",
				"\"timestamp\":\"2026-11-20T10:00:00Z\"", "\"messageId\":\"m-1\"", "\"type\":\"track\"");
		List<String> replacements = List.of("[]", "{}", "null", "true", "-1e309", "\"\"", "12345678901234567890123",
				"\"\\u0000\"", "\"" + "é".repeat(50) + "\"");
		String field = fields.get(random.nextInt(fields.size()));
		String name = field.substring(0, field.indexOf(':') + 1);
		return valid.replace(field, name + replacements.get(random.nextInt(replacements.size())));
	}

	private static String randomJsonScalar(SplittableRandom random) {
		return List
			.of("null", "[]", "42", "\"text\"", "true", "{}", "{\"batch\":{}}", "{\"batch\":[1,2,null]}",
					"{\"batch\":[]}", " ")
			.get(random.nextInt(10));
	}

	private static String manyMessages(SplittableRandom random) {
		int n = 2400 + random.nextInt(200);
		StringBuilder batch = new StringBuilder("{\"batch\":[");
		for (int i = 0; i < n; i++) {
			batch.append((i > 0) ? "," : "").append("{\"type\":\"page\",\"anonymousId\":\"a").append(i).append("\"}");
		}
		return batch.append("]}").toString();
	}

	private static byte[] randomBytes(SplittableRandom random, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) random.nextInt(256);
		}
		return bytes;
	}

	private static byte[] flipBytes(byte[] bytes, SplittableRandom random) {
		byte[] copy = bytes.clone();
		for (int i = 0; i < 1 + random.nextInt(5); i++) {
			copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
		}
		return copy;
	}

	private static byte[] gzip(byte[] body) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(body);
		}
		return bytes.toByteArray();
	}

}
