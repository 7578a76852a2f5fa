package io.lodestar.ingestion.connector.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.ratelimit.Retrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader over real HTTP against a local server replaying the shared Meta fixtures.
 */
class MetaInsightsReaderTest {

	private static final String TOKEN = "EAAB-secret-test-token";

	private final Deque<Reply> firstPageReplies = new ArrayDeque<>();

	private final List<String> requests = new ArrayList<>();

	private final List<Duration> waits = new ArrayList<>();

	private HttpServer server;

	private String secondPage;

	private MetaInsightsReader reader;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
		String base = "http://127.0.0.1:" + this.server.getAddress().getPort();
		this.secondPage = fixture("meta_insights_campaign_daily_page2.json");
		this.reader = new MetaInsightsReader(HttpClient.newHttpClient(), JsonMapper.builder().build(),
				Clock.fixed(Instant.parse("2026-11-24T03:00:00Z"), ZoneOffset.UTC), URI.create(base), "v24.0");
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void readsEveryPageToTheEnd() throws Exception {
		this.firstPageReplies.add(new Reply(200, page1()));
		int[] pages = { 0 };

		List<ConnectorRecord> records = read(retrier(), pages);

		assertThat(pages[0]).isEqualTo(2);
		assertThat(records).extracting(ConnectorRecord::naturalKey)
			.containsExactly("act_798085168510957:23854404676180548:2024-06-01",
					"act_798085168510957:23854695759200548:2024-06-01",
					"act_798085168510957:23854404676180548:2024-06-02");
		assertThat(this.requests.get(0)).contains("/v24.0/act_798085168510957/insights")
			.contains("time_increment=1")
			.contains("level=campaign");
	}

	@Test
	void aThrottledPageIsRetriedAfterABackoff() throws Exception {
		this.firstPageReplies.add(new Reply(400, fixture("meta_error_17_user_request_limit.json")));
		this.firstPageReplies.add(new Reply(400, fixture("meta_error_80004_ad_account_rate_limit.json")));
		this.firstPageReplies.add(new Reply(200, page1()));
		Retrier retrier = retrier();

		List<ConnectorRecord> records = read(retrier, new int[1]);

		assertThat(records).hasSize(3);
		assertThat(retrier.retries()).isEqualTo(2);
		assertThat(this.waits).hasSize(2);
	}

	@Test
	void anExpiredTokenFailsTheRunWithoutRetryingOrPrintingTheToken() throws IOException {
		this.firstPageReplies.add(new Reply(400, fixture("meta_error_190_token_expired.json")));
		Retrier retrier = retrier();

		assertThatExceptionOfType(SourceAuthenticationException.class).isThrownBy(() -> read(retrier, new int[1]))
			.withMessageContaining("code 190")
			.withMessageNotContaining(TOKEN);
		assertThat(retrier.retries()).isZero();
	}

	@Test
	void aTruncatedSecondPageFailsTheWholeRead() throws IOException {
		this.firstPageReplies.add(new Reply(200, page1()));
		this.secondPage = this.secondPage.substring(0, this.secondPage.length() / 3);

		assertThatExceptionOfType(MalformedPageException.class).isThrownBy(() -> read(retrier(), new int[1]))
			.withMessageContaining("not valid JSON");
	}

	private List<ConnectorRecord> read(Retrier retrier, int[] pages) throws Exception {
		return this.reader.read("798085168510957", TOKEN, LocalDate.parse("2024-06-01"), LocalDate.parse("2024-06-02"),
				"demo", "c-meta", retrier, pages);
	}

	private Retrier retrier() {
		return new Retrier(4, Duration.ofSeconds(1), Duration.ofSeconds(30), this.waits::add, new SplittableRandom(1));
	}

	private String page1() throws IOException {
		return fixture("meta_insights_campaign_daily_page1.json").replace("{{request.baseUrl}}",
				"http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	private void handle(HttpExchange exchange) throws IOException {
		String uri = exchange.getRequestURI().toString();
		this.requests.add(uri);
		Reply reply = uri.contains("after=MQZDZD") ? new Reply(200, this.secondPage) : this.firstPageReplies.poll();
		if (reply == null) {
			reply = new Reply(500, "{\"error\":{\"code\":1}}");
		}
		byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(reply.status(), body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static String fixture(String name) throws IOException {
		try (InputStream in = MetaInsightsReaderTest.class.getResourceAsStream("/fixtures/connectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private record Reply(int status, String body) {
	}

}
