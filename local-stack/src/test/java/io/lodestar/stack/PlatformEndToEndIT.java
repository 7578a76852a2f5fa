package io.lodestar.stack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spine end to end, as a user meets it: the real services in their own JVMs (started
 * by the same launcher as {@code ./lodestar up}) against a real broker and database;
 * events posted over HTTP to the gateway; the profile read back through the gateway.
 */
class PlatformEndToEndIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

	private static StackConfig config;

	private static Stack stack;

	private static List<Long> pids;

	/** The local stack's administrator's access token. */
	private static String token;

	@BeforeAll
	static void startPlatform() throws Exception {
		Path root = Path.of(System.getProperty("lodestar.project.root", "..")).toAbsolutePath().normalize();
		Path varDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-var-");
		Map<String, String> env = new HashMap<>();
		env.put("LODESTAR_VAR_DIR", varDir.toString());
		for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
				"LODESTAR_GATEWAY_PORT", "LODESTAR_INGESTION_PORT", "LODESTAR_PROFILE_PORT", "LODESTAR_SEGMENT_PORT",
				"LODESTAR_RECOMMENDER_PORT", "LODESTAR_ETL_PORT")) {
			env.put(port, String.valueOf(Ports.free()));
		}
		config = StackConfig.fromEnvironment(root, env);
		stack = new Stack(config, new PrintStream(OUTPUT, true, StandardCharsets.UTF_8));
		try {
			stack.start();
		}
		finally {
			System.out.print(OUTPUT.toString(StandardCharsets.UTF_8));
		}
		pids = new ArrayList<>();
		for (String name : stack.runningProcesses()) {
			pids.add(PidFile.read(config.runDir(), name).orElseThrow().pid());
		}
		HttpResponse<String> login = HTTP
			.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + LocalSecrets.ADMIN_USERNAME
						+ "\",\"password\":\"" + new LocalSecrets(config.varDir()).adminPassword() + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).as("the administrator the stack configured signs in").isEqualTo(200);
		token = JSON.readTree(login.body()).get("accessToken").asString();
	}

	@AfterAll
	static void stopPlatform() {
		if (stack != null) {
			stack.stop();
			assertThat(stack.runningProcesses()).isEmpty();
			assertThat(pids)
				.allSatisfy((pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
		}
	}

	@Test
	void everyProcessOfThePlatformRuns() {
		assertThat(stack.runningProcesses()).containsExactlyInAnyOrder("postgres", "kafka", "ingestion-service",
				"profile-service", "segment-service", "recommender-service", "etl-service", "api-gateway");
	}

	@Test
	void trackedAndIdentifiedEventsShowInTheProfileThroughTheGateway() throws Exception {
		String userId = "e2e-" + UUID.randomUUID();
		String anonymousId = "anon-" + UUID.randomUUID();
		assertThat(post("/v1/identify", StackConfig.DEV_WRITE_KEY, """
				{"userId":"%s","anonymousId":"%s","traits":{"email":"jane@example.com","plan":"pro"}}"""
			.formatted(userId, anonymousId)).statusCode()).isEqualTo(200);
		for (int i = 0; i < 2; i++) {
			assertThat(post("/v1/track", StackConfig.DEV_WRITE_KEY, """
					{"userId":"%s","event":"Order Completed","properties":{"revenue":%d}}""".formatted(userId, 10 + i))
				.statusCode()).isEqualTo(200);
		}

		JsonNode profile = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> lookup("userId", userId),
					(node) -> node != null && node.path("computed").path("eventCount").asLong() == 3);

		assertThat(profile.path("userId").asString()).isEqualTo(userId);
		assertThat(profile.path("traits").path("plan").asString()).isEqualTo("pro");
		assertThat(profile.path("computed").path("eventCountsByType").path("track").asLong()).isEqualTo(2);
		assertThat(profile.path("computed").path("eventCountsByType").path("identify").asLong()).isEqualTo(1);
		assertThat(profile.path("computed").path("trackEventCounts").path("Order Completed").asLong()).isEqualTo(2);
		assertThat(profile.path("computed").path("firstSeenAt").asString()).isNotBlank();

		String profileId = profile.path("profileId").asString();
		HttpResponse<String> byId = get("/v1/profiles/" + profileId);
		assertThat(byId.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(byId.body()).path("userId").asString()).isEqualTo(userId);
		HttpResponse<String> timeline = get("/v1/profiles/" + profileId + "/events?type=track");
		assertThat(timeline.statusCode()).isEqualTo(200);
		JsonNode events = JSON.readTree(timeline.body()).path("events");
		assertThat(events).hasSize(2);
		assertThat(events.get(0).path("name").asString()).isEqualTo("Order Completed");
		assertThat(events.get(0).path("properties").path("revenue").asInt()).isIn(10, 11);
		JsonNode byAnonymousId = lookup("anonymousId", anonymousId);
		assertThat(byAnonymousId).isNotNull();
		assertThat(byAnonymousId.path("profileId").asString()).isEqualTo(profileId);
	}

	@Test
	void malformedJsonIsA400ProblemAndNeverReachesProfiles() throws Exception {
		String userId = "e2e-bad-" + UUID.randomUUID();
		HttpResponse<String> malformed = post("/v1/track", StackConfig.DEV_WRITE_KEY,
				"{\"userId\":\"" + userId + "\",\"event\":");
		HttpResponse<String> noIdentity = post("/v1/track", StackConfig.DEV_WRITE_KEY, "{\"event\":\"Clicked\"}");
		HttpResponse<String> noEvent = post("/v1/track", StackConfig.DEV_WRITE_KEY, "{\"userId\":\"" + userId + "\"}");

		for (HttpResponse<String> response : List.of(malformed, noIdentity, noEvent)) {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(400);
		}
		// a valid event sent after them is processed, the invalid ones before it never
		// were
		assertThat(post("/v1/track", StackConfig.DEV_WRITE_KEY, "{\"userId\":\"" + userId + "\",\"event\":\"Clicked\"}")
			.statusCode()).isEqualTo(200);
		JsonNode profile = await().atMost(Duration.ofSeconds(60))
			.until(() -> lookup("userId", userId), (node) -> node != null);
		assertThat(profile.path("computed").path("eventCount").asLong()).isEqualTo(1);
	}

	@Test
	void missingOrUnknownWriteKeyIsA401Problem() throws Exception {
		HttpResponse<String> unknown = post("/v1/track", "not-a-key", "{\"userId\":\"u\",\"event\":\"x\"}");
		HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/track"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"x\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		for (HttpResponse<String> response : List.of(unknown, missing)) {
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@Test
	void theApiNeedsASignedInCallerAndNoWorkspaceSeesAnothersPeople() throws Exception {
		HttpResponse<String> anonymous = HTTP.send(
				HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/profiles?userId=anyone")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(anonymous.body()).path("type").asString()).endsWith("/unauthorized");

		// a second workspace with its own write key and one person in it
		String other = "e2e-other-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(send("POST", "/v1/workspaces", "{\"id\":\"" + other + "\"}").statusCode()).isEqualTo(201);
		String otherToken = JSON
			.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/auth/login"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + LocalSecrets.ADMIN_USERNAME
						+ "\",\"password\":\"" + new LocalSecrets(config.varDir()).adminPassword() + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString()).body())
			.get("accessToken")
			.asString();
		HttpResponse<String> writeKey = HTTP
			.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/write-keys"))
				.header("Authorization", "Bearer " + otherToken)
				.header("X-Lodestar-Workspace", other)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"sourceId\":\"web\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(writeKey.statusCode()).as(writeKey.body()).isEqualTo(201);
		String key = JSON.readTree(writeKey.body()).get("writeKey").asString();
		String person = "e2e-isolated-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(post("/v1/identify", key, "{\"userId\":\"" + person + "\",\"traits\":{\"plan\":\"gold\"}}")
			.statusCode()).isEqualTo(200);
		String profileId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> found = HTTP
				.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/profiles?userId=" + person))
					.header("Authorization", "Bearer " + otherToken)
					.header("X-Lodestar-Workspace", other)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			return (found.statusCode() == 200) ? JSON.readTree(found.body()).path("profileId").asString() : null;
		}, java.util.Objects::nonNull);

		// the demo workspace finds them by no identifier, id, search or segment preview
		assertThat(get("/v1/profiles?userId=" + person).statusCode()).isEqualTo(404);
		assertThat(get("/v1/profiles/" + profileId).statusCode()).isEqualTo(404);
		assertThat(get("/v1/profiles/" + profileId + "/events").statusCode()).isIn(200, 404);
		assertThat(get("/v1/profiles/" + profileId + "/events").body()).doesNotContain(person);
		assertThat(send("POST", "/v1/profiles/search",
				"{\"filters\":[{\"field\":\"traits.plan\",\"op\":\"eq\",\"value\":\"gold\"}]}")
			.body()).doesNotContain(person).doesNotContain(profileId);
		// and a token of demo's admin cannot name the other workspace's id without a role
		// there
		assertThat(HTTP
			.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/profiles/" + profileId))
				.header("Authorization", "Bearer " + token)
				.header("X-Lodestar-Workspace", other)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(403);

		// the other workspace's segment and privacy request: demo reaches neither by id,
		// whatever the verb
		java.util.function.BiFunction<String, String, HttpResponse<String>> asOther = (path, body) -> {
			try {
				return HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path))
					.header("Authorization", "Bearer " + otherToken)
					.header("X-Lodestar-Workspace", other)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		HttpResponse<String> segment = asOther.apply("/v1/segments",
				"{\"name\":\"Gold\",\"rule\":{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"gold\"}}");
		assertThat(segment.statusCode()).as(segment.body()).isEqualTo(201);
		String segmentId = JSON.readTree(segment.body()).path("segmentId").asString();
		HttpResponse<String> request = asOther.apply("/v1/privacy/requests",
				"{\"kind\":\"access\",\"subject\":{\"userId\":\"" + person + "\"}}");
		assertThat(request.statusCode()).as(request.body()).isBetween(200, 202);
		String requestId = JSON.readTree(request.body()).path("requestId").asString();
		String[][] attempts = { { "GET", "/v1/segments/" + segmentId }, { "PUT", "/v1/segments/" + segmentId },
				{ "DELETE", "/v1/segments/" + segmentId }, { "POST", "/v1/segments/" + segmentId + "/recompute" },
				{ "GET", "/v1/segments/" + segmentId + "/members" },
				{ "GET", "/v1/segments/" + segmentId + "/history" }, { "GET", "/v1/segments/" + segmentId + "/export" },
				{ "GET", "/v1/segments/" + segmentId + "/destinations" },
				{ "POST", "/v1/segments/" + segmentId + "/destinations" },
				{ "GET", "/v1/privacy/requests/" + requestId },
				{ "GET", "/v1/privacy/requests/" + requestId + "/export" },
				{ "GET", "/v1/profiles/" + profileId + "/consent" },
				{ "PUT", "/v1/profiles/" + profileId + "/consent" } };
		for (String[] attempt : attempts) {
			String body = attempt[0].equals("PUT") || attempt[0].equals("POST")
					? "{\"name\":\"mine\",\"url\":\"https://example.com\",\"rule\":{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"x\"},\"purposes\":{\"marketing\":{\"granted\":true,\"source\":\"x\"}}}"
					: "";
			HttpResponse<String> response = send(attempt[0], attempt[1], body);
			assertThat(response.statusCode()).as(attempt[0] + " " + attempt[1] + " from demo").isEqualTo(404);
			assertThat(response.body()).as(attempt[1]).doesNotContain(person).doesNotContain("Gold");
		}
		assertThat(asOther.apply("/v1/segments/" + segmentId + "/recompute", "").statusCode())
			.as("the owner still has it")
			.isEqualTo(200);
	}

	@Test
	void theWholePublicApiIsDescribedInOneOpenApiDocument() throws Exception {
		// each service builds its document on the first request: the merged one fills as
		// they answer
		JsonNode document = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v3/api-docs")).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return JSON.readTree(response.body());
		}, (node) -> node.path("x-lodestar-unavailable").isMissingNode()
				|| !node.path("x-lodestar-unavailable").toString().matches(".*(gateway|ingestion|profile|segment).*"));
		JsonNode paths = document.path("paths");
		assertThat(paths.propertyNames()).contains("/v1/auth/login", "/v1/profiles", "/v1/profiles/search",
				"/v1/segments", "/v1/segments/preview", "/v1/track", "/v1/batch");
		assertThat(paths.propertyNames()).noneMatch((path) -> path.startsWith("/internal"));
	}

	@Test
	void unknownProfileIsA404Problem() throws Exception {
		HttpResponse<String> response = get("/v1/profiles/" + UUID.randomUUID());

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(response.body()).path("type").asString()).contains("profile-not-found");
	}

	@Test
	void anErasedPersonIsGoneAndTheirLaterEventsAreDroppedAtTheCollector() throws Exception {
		String userId = "erase-" + UUID.randomUUID();
		String email = userId + "@lovelace.io";
		String control = "control-" + UUID.randomUUID();
		assertThat(post("/v1/identify", StackConfig.DEV_WRITE_KEY, """
				{"userId":"%s","traits":{"email":"%s"}}""".formatted(userId, email)).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60)).until(() -> lookup("userId", userId) != null);
		String profileId = lookup("userId", userId).path("profileId").asString();
		// the pipeline wrote the person's event to the lake too
		await().atMost(Duration.ofSeconds(60)).until(() -> lakeEvents(profileId) == 1);

		HttpResponse<String> requested = send("POST", "/v1/privacy/requests",
				"{\"kind\":\"erasure\",\"subject\":{\"email\":\"" + email.toUpperCase() + "\"}}");
		assertThat(requested.statusCode()).isEqualTo(202);
		String requestId = JSON.readTree(requested.body()).path("requestId").asString();
		JsonNode done = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> JSON.readTree(get("/v1/privacy/requests/" + requestId).body()),
					(request) -> !request.path("status").asString().matches("pending|running"));
		assertThat(done.path("status").asString()).isEqualTo("completed");
		assertThat(done.path("result").path("profiles").asInt()).isEqualTo(1);
		assertThat(done.path("result").path("lake").asString()).isEqualTo("erased");
		assertThat(done.path("result").path("lakeRows").asInt()).isEqualTo(1);
		assertThat(lakeEvents(profileId)).isZero();
		assertThat(lookup("userId", userId)).isNull();
		assertThat(lookup("email", email)).isNull();

		// the collector refreshes its suppression list every 2 s; then the person's
		// events are dropped
		Thread.sleep(3_000);
		assertThat(post("/v1/track", StackConfig.DEV_WRITE_KEY, """
				{"userId":"%s","event":"Came Back"}""".formatted(userId)).statusCode()).isEqualTo(200);
		assertThat(post("/v1/track", StackConfig.DEV_WRITE_KEY, """
				{"userId":"%s","event":"Came Back"}""".formatted(control)).statusCode()).isEqualTo(200);
		// the control event sent after it is through the pipeline: the erased person's is
		// not
		await().atMost(Duration.ofSeconds(60)).until(() -> lookup("userId", control) != null);
		assertThat(lookup("userId", userId)).isNull();
		assertThat(get("/v1/privacy/audit").body()).contains("erasure.completed").doesNotContain(userId);
	}

	@Test
	void aSavedSegmentFollowsEventsThroughThePlatform() throws Exception {
		String sku = "sku-" + UUID.randomUUID();
		String rule = "{\"type\":\"event\",\"event\":\"Order Completed\",\"where\":[{\"property\":\"sku\","
				+ "\"op\":\"eq\",\"value\":\"" + sku + "\"}]}";
		HttpResponse<String> created = send("POST", "/v1/segments",
				"{\"name\":\"Bought " + sku + "\",\"rule\":" + rule + "}");
		assertThat(created.statusCode()).isEqualTo(201);
		String segmentId = JSON.readTree(created.body()).path("segmentId").asString();
		assertThat(
				JSON.readTree(send("POST", "/v1/segments/" + segmentId + "/recompute", "").body()).path("size").asInt())
			.isZero();

		String buyer = "buyer-" + UUID.randomUUID();
		assertThat(post("/v1/track", StackConfig.DEV_WRITE_KEY, """
				{"userId":"%s","event":"Order Completed","properties":{"sku":"%s","revenue":20}}""".formatted(buyer,
				sku))
			.statusCode()).isEqualTo(200);

		// realtime: the buyer becomes a member without a recompute
		JsonNode members = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> JSON.readTree(get("/v1/segments/" + segmentId + "/members").body()),
					(page) -> page.path("members").size() == 1);
		assertThat(members.path("members").get(0).path("userId").asString()).isEqualTo(buyer);
		HttpResponse<String> preview = send("POST", "/v1/segments/preview", "{\"rule\":" + rule + "}");
		assertThat(JSON.readTree(preview.body()).path("size").asInt()).isEqualTo(1);
		// and the profile document lists the membership
		JsonNode profile = lookup("userId", buyer);
		assertThat(profile.path("segments").get(0).path("name").asString()).isEqualTo("Bought " + sku);
	}

	@Test
	void aMarketerFindsAProfileAndPagesItsTimelineInTheDashboard() throws Exception {
		String userId = "e2e-dash-" + UUID.randomUUID().toString().substring(0, 8);
		StringBuilder batch = new StringBuilder("{\"batch\":[");
		batch.append("""
				{"type":"identify","userId":"%s","traits":{"name":"Dana Marsh","country":"Portugal","plan":"pro"},\
				"timestamp":"%s"}""".formatted(userId, java.time.Instant.now().minus(Duration.ofDays(6))));
		for (int i = 0; i < 30; i++) {
			String event = (i % 3 == 0) ? "Order Completed" : "Product Viewed";
			batch.append(",")
				.append("""
						{"type":"track","userId":"%s","event":"%s","properties":{"sku":"SKU-%d"},"timestamp":"%s"}"""
					.formatted(userId, event, i, java.time.Instant.now().minus(Duration.ofHours(5L * i))));
		}
		batch.append("]}");
		assertThat(post("/v1/batch", StackConfig.DEV_WRITE_KEY, batch.toString()).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> lookup("userId", userId),
					(node) -> node != null && node.path("computed").path("eventCount").asLong() == 31);

		try (HeadlessChromium chromium = new HeadlessChromium()) {
			WebDriver browser = chromium.driver;
			WebDriverWait wait = chromium.wait;
			// sign in: a wrong password is refused with the problem's detail, the right
			// one
			// opens the user's workspace
			browser.get(config.gatewayUrl() + "/");
			signIn(wait, "not-the-password");
			assertThat(
					wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]"))).getText())
				.contains("wrong");
			chromium.screenshot("sign-in-refused");
			signIn(wait, new LocalSecrets(config.varDir()).adminPassword());
			WebElement workspace = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
			assertThat(workspace.getAttribute("value")).isEqualTo(StackConfig.DEV_WORKSPACE);
			// the home page is the overview (the admin may read analytics); profiles are a click away
			wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
			browser.findElement(By.linkText("Profiles")).click();

			// look the profile up by its userId and open it
			WebElement lookup = wait.until(ExpectedConditions.elementToBeClickable(By.id("lookup")));
			lookup.sendKeys(userId, Keys.ENTER);
			wait.until(ExpectedConditions.textToBe(By.tagName("h1"), userId));
			By timelineRows = By
				.xpath("//h2[normalize-space()='Timeline']/ancestor::div[contains(@class,'card')]//tbody/tr");
			wait.until(ExpectedConditions.numberOfElementsToBe(timelineRows, 25));
			assertThat(browser.findElement(By.tagName("main")).getText()).contains("Identities", "Traits", "Portugal",
					"Dana Marsh", "31");
			assertThat(browser.findElements(By.cssSelector("[role=img] canvas"))).hasSizeGreaterThanOrEqualTo(2);
			Thread.sleep(1500); // ECharts animates its bars for a second: photograph them
								// grown
			chromium.screenshot("profile-detail");

			// page the timeline: 25 of 31 events, then the rest, and no further page
			WebElement more = browser.findElement(By.xpath("//button[normalize-space()='Load more']"));
			((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block:'center'})", more);
			more.click();
			wait.until(ExpectedConditions.numberOfElementsToBe(timelineRows, 31));
			assertThat(browser.findElements(By.xpath("//button[normalize-space()='Load more']"))).isEmpty();
			List<WebElement> rows = browser.findElements(timelineRows);
			((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block:'end'})",
					rows.get(rows.size() - 1));
			chromium.screenshot("profile-timeline-paged");

			// the type filter asks the API for identify events only
			new Select(browser.findElement(By.id("type"))).selectByValue("identify");
			wait.until(ExpectedConditions.numberOfElementsToBe(timelineRows, 1));
			assertThat(browser.findElements(timelineRows).get(0).getText()).contains("identify");

			// a workspace the admin opens holds nothing: after a reload (which refreshes
			// the
			// session and its roles) it can be chosen; the empty state, and the lookup
			// shows
			// the problem
			String empty = "e2e-empty-" + UUID.randomUUID().toString().substring(0, 8);
			assertThat(send("POST", "/v1/workspaces", "{\"id\":\"" + empty + "\"}").statusCode()).isEqualTo(201);
			browser.get(config.gatewayUrl() + "/#/profiles");
			browser.navigate().refresh();
			wait.until(ExpectedConditions
				.presenceOfElementLocated(By.cssSelector("#workspace option[value='" + empty + "']")));
			new Select(browser.findElement(By.id("workspace"))).selectByValue(empty);
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "No profiles"));
			chromium.screenshot("profiles-empty-workspace");
			wait.until(ExpectedConditions.elementToBeClickable(By.id("lookup"))).sendKeys(userId, Keys.ENTER);
			WebElement problem = wait
				.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
			assertThat(problem.getText()).isNotBlank();
			chromium.screenshot("profile-lookup-problem");

			// the admin's settings: a new API key is shown once, and the audit log
			// records
			// its creation without the key
			new Select(browser.findElement(By.id("workspace"))).selectByValue(StackConfig.DEV_WORKSPACE);
			browser.get(config.gatewayUrl() + "/#/settings");
			wait.until(ExpectedConditions.elementToBeClickable(By.id("key-name"))).sendKeys("e2e-website", Keys.ENTER);
			WebElement secret = wait
				.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice .secret")));
			String key = secret.getText();
			assertThat(key).startsWith("lsk_");
			browser.navigate().refresh();
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "POST /v1/api-keys"));
			assertThat(browser.findElement(By.tagName("main")).getText()).contains("e2e-website", "Members", "admin")
				.doesNotContain(key);
			chromium.screenshot("settings");
		}
	}

	private static void signIn(WebDriverWait wait, String password) {
		WebElement username = wait.until(ExpectedConditions.elementToBeClickable(By.id("username")));
		username.clear();
		username.sendKeys(LocalSecrets.ADMIN_USERNAME);
		WebElement field = wait.until(ExpectedConditions.elementToBeClickable(By.id("password")));
		field.clear();
		field.sendKeys(password, Keys.ENTER);
	}

	/** The person's rows in the lake, through etl-service's internal lake API. */
	private static int lakeEvents(String profileId) throws Exception {
		HttpResponse<String> response = HTTP.send(
				HttpRequest
					.newBuilder(URI.create(config.service("etl-service").url() + "/internal/v1/lake/events?workspaceId="
							+ StackConfig.DEV_WORKSPACE + "&profileId=" + profileId))
					.GET()
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readTree(response.body()).path("events").size();
	}

	private static HttpResponse<String> send(String method, String path, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode lookup(String parameter, String value) throws Exception {
		HttpResponse<String> response = get("/v1/profiles?" + parameter + "=" + value);
		return (response.statusCode() == 200) ? JSON.readTree(response.body()) : null;
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("X-Lodestar-Workspace", StackConfig.DEV_WORKSPACE)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(String path, String writeKey, String body) throws Exception {
		String basic = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
		return HTTP.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + path))
			.header("Content-Type", "application/json")
			.header("Authorization", "Basic " + basic)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
