package io.lodestar.profile.timeline;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.testsupport.TestInfrastructure;
import io.lodestar.web.Workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * One timeline over PostgreSQL and the lake, with a 30-day retention: the recent events
 * from PostgreSQL, then the older ones from the lake — the profile's own and those of a
 * profile merged into it — every event once, newest first, under one cursor. The lake
 * here is an HTTP server on loopback answering etl-service's documented lake API
 * ({@code GET /internal/v1/lake/events}: newest first, {@code before} exclusive) over
 * rows held in memory; the real one is exercised by the platform's end-to-end test.
 */
@SpringBootTest(properties = "lodestar.profile.timeline.retention=30d")
@AutoConfigureMockMvc
class TimelineLakeIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Lake LAKE = new Lake();

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TimelineRetention retention;

	private final String workspace = "lake-" + UUID.randomUUID().toString().substring(0, 8);

	private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	private UUID person;

	private UUID merged;

	private final List<UUID> expected = new ArrayList<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("lodestar.profile.lake.url", LAKE::url);
	}

	@AfterAll
	static void stop() {
		LAKE.server.stop(0);
	}

	/**
	 * The person: 15 events in the last 15 days (in PostgreSQL and the lake), 20 from 40
	 * to 59 days ago and, under a profile merged into theirs, 5 from 60 to 64 days ago
	 * (lake only); every fourth one a page view.
	 */
	@BeforeEach
	void events() {
		this.person = profile(this.now.minus(200, ChronoUnit.DAYS));
		this.merged = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, 'identify')""", this.workspace, this.merged, this.person);
		for (int day = 1; day <= 64; day++) {
			if (day > 15 && day < 40) {
				continue;
			}
			UUID event = UUID.randomUUID();
			Instant at = this.now.minus(day, ChronoUnit.DAYS);
			String type = (day % 4 == 0) ? "page" : "track";
			String name = type.equals("track") ? "Viewed" : null;
			UUID owner = (day >= 60) ? this.merged : this.person;
			LAKE.rows.add(new Row(this.workspace, owner, event, type, name, at, "{\"day\":" + day + "}"));
			if (day <= 15) {
				this.jdbc.update(
						"""
								insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
								values (?, ?, ?, ?, ?, ?, ?::jsonb)""",
						this.workspace, event, this.person, type, (name != null) ? name : "", Timestamp.from(at),
						"{\"day\":" + day + "}");
			}
			this.expected.add(event);
		}
	}

	@Test
	void pagesRunFromPostgresIntoTheLakeWithoutGapsOrRepeats() throws Exception {
		List<JsonNode> read = readAll("limit=10");
		assertThat(read).extracting((event) -> UUID.fromString(event.get("eventId").asString()))
			.containsExactlyElementsOf(this.expected);
		assertThat(read).extracting((event) -> event.get("properties").get("day").asInt())
			.isSortedAccordingTo(Comparator.naturalOrder());
		assertThat(read.get(20).get("name").asString()).isEqualTo("Viewed");
		assertThat(read.get(19).get("name").asString()).isEmpty();
		// a type filter holds on both sides
		List<JsonNode> pages = readAll("limit=3&type=page");
		assertThat(pages).hasSize(10).allSatisfy((event) -> assertThat(event.get("type").asString()).isEqualTo("page"));
		// a range: only 40 to 50 days ago
		List<JsonNode> range = readAll("limit=4&from=" + this.now.minus(50, ChronoUnit.DAYS).minusSeconds(1) + "&to="
				+ this.now.minus(40, ChronoUnit.DAYS).plusSeconds(1));
		assertThat(range).extracting((event) -> event.get("properties").get("day").asInt())
			.containsExactly(40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50);
	}

	@Test
	void aProfileYoungerThanTheRetentionNeverAsksTheLake() throws Exception {
		UUID young = profile(this.now.minus(5, ChronoUnit.DAYS));
		int before = LAKE.requests.get();
		this.mvc.perform(get("/v1/profiles/{id}/events", young).header(Workspace.HEADER, this.workspace))
			.andExpect(status().isOk());
		assertThat(LAKE.requests.get()).isEqualTo(before);
	}

	@Test
	void retentionPrunesOnlyWhatIsOlder() {
		UUID other = profile(this.now.minus(100, ChronoUnit.DAYS));
		for (int day : new int[] { 2, 29, 31, 90 }) {
			this.jdbc.update(
					"""
							insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at)
							values (?, ?, ?, 'track', 'Ordered', ?)""",
					this.workspace, UUID.randomUUID(), other, Timestamp.from(this.now.minus(day, ChronoUnit.DAYS)));
		}
		this.jdbc.update(
				"""
						insert into profile.profile_event_count (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
						values (?, ?, 'track', 'Ordered', 4, ?, ?)""",
				this.workspace, other, Timestamp.from(this.now.minus(90, ChronoUnit.DAYS)),
				Timestamp.from(this.now.minus(2, ChronoUnit.DAYS)));

		assertThat(this.retention.prune()).isGreaterThanOrEqualTo(2);

		assertThat(this.jdbc.queryForList("""
				select extract(day from now() - occurred_at)::int from profile.profile_event
				 where workspace_id = ? and profile_id = ? order by occurred_at desc""", Integer.class, this.workspace,
				other))
			.containsExactly(2, 29);
	}

	private List<JsonNode> readAll(String query) throws Exception {
		List<JsonNode> events = new ArrayList<>();
		String cursor = null;
		for (int pages = 0; pages < 50; pages++) {
			String body = this.mvc
				.perform(get("/v1/profiles/{id}/events?" + query + ((cursor != null) ? "&cursor=" + cursor : ""),
						this.person)
					.header(Workspace.HEADER, this.workspace))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			JsonNode page = JSON.readTree(body);
			page.get("events").forEach(events::add);
			if (!page.has("nextCursor")) {
				return events;
			}
			cursor = page.get("nextCursor").asString();
		}
		throw new AssertionError("more than 50 pages");
	}

	private UUID profile(Instant firstSeen) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, ?, ?, 1)""", this.workspace, id, Timestamp.from(firstSeen), Timestamp.from(this.now));
		return id;
	}

	record Row(String workspace, UUID profileId, UUID eventId, String type, String name, Instant occurredAt,
			String properties) {
	}

	/** etl-service's lake read API over rows in memory. */
	static final class Lake {

		final List<Row> rows = new CopyOnWriteArrayList<>();

		final AtomicInteger requests = new AtomicInteger();

		final HttpServer server;

		Lake() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/internal/v1/lake/events", this::events);
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		private void events(HttpExchange exchange) throws IOException {
			this.requests.incrementAndGet();
			Map<String, String> query = new LinkedHashMap<>();
			for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
				String[] parts = pair.split("=", 2);
				query.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
			}
			Instant before = query.containsKey("before") ? Instant.parse(query.get("before")) : null;
			int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
			List<Map<String, Object>> events = this.rows.stream()
				// as etl-service: the workspace the request names in its header (under
				// the
				// service secret, with the signed assertion for it)
				.filter((row) -> row.workspace().equals(exchange.getRequestHeaders().getFirst(Workspace.HEADER))
						&& row.profileId().toString().equals(query.get("profileId"))
						&& (before == null || row.occurredAt().isBefore(before)))
				.sorted(Comparator.comparing(Row::occurredAt)
					.thenComparing((row) -> row.eventId().toString())
					.reversed())
				.limit(limit)
				.map((row) -> {
					Map<String, Object> event = new LinkedHashMap<>();
					event.put("eventId", row.eventId().toString());
					event.put("profileId", row.profileId().toString());
					event.put("type", row.type());
					event.put("name", row.name());
					event.put("occurredAt", row.occurredAt().toString());
					event.put("properties", row.properties());
					return event;
				})
				.toList();
			byte[] body = JSON.writeValueAsBytes(Map.of("events", events));
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}

	}

}
