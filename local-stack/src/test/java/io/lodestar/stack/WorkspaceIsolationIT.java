package io.lodestar.stack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import io.lodestar.infra.launch.Ports;
import io.lodestar.stack.IsolationHttp.Answer;
import io.lodestar.stack.IsolationHttp.Call;

import static io.lodestar.stack.IsolationHttp.JSON;
import static io.lodestar.stack.IsolationHttp.as;
import static io.lodestar.stack.IsolationHttp.call;
import static io.lodestar.stack.IsolationHttp.collect;
import static io.lodestar.stack.IsolationHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workspace isolation suite (issue 9) against the whole running platform: workspace B
 * holds one object of every kind the API has; a caller of workspace A only (a user who is
 * A's admin, and an API key of A with every permission) tries every endpoint of the
 * gateway's merged OpenAPI document — and of every service's own port — on B's ids and
 * identifiers. Every answer must refuse (4xx problem JSON) or contain nothing of B; no
 * mutation of B's objects may succeed, and afterwards B's administrator finds every
 * object of B as it was.
 *
 * <p>
 * How a request is made from the document:
 * <ul>
 * <li><b>Path parameters</b> are matched by name to B's object of that kind
 * ({@link #pathValue}); the generic names ({@code id}, {@code keyId}, {@code userId},
 * {@code runId}) by the collection the path names before them. A parameter nobody matched
 * fails the suite: a new endpoint needs a line there, not a skip.</li>
 * <li><b>Query parameters</b>: the services' documents show the {@code Workspace}
 * argument as a query object {@code workspace} (it is the header) and identifier lookups
 * as one map {@code parameters}; an operation with such a map is tried once per B
 * identifier (userId, anonymousId, email, phone, deviceId) and once without. Parameters
 * named {@code workspaceId} or {@code profileId} get B's; dates get a range around B's
 * events; other required parameters a neutral value.</li>
 * <li><b>Bodies</b> come from {@link #BODIES} (they name B's objects where a body can:
 * search and export on B's user id, previews of B's profile ids, a privacy erasure of B's
 * person, connectors over B's drop folder, …); an operation with a body not listed gets
 * {@code {}} and is counted as such in the report.</li>
 * <li><b>Leak rule</b>: an answer leaks when it contains one of B's ids or distinctive
 * values (case-insensitive) that the request did not itself carry and that the attacker
 * had not earlier written into A by a successful request of its own.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkspaceIsolationIT {

	private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

	/** Identifier lookups, by query parameter, each tried with B's value. */
	private static final List<String> IDENTIFIERS = List.of("userId", "anonymousId", "email", "phone", "deviceId");

	/**
	 * Operations of the document the suite does not attack, each with its reason. Any
	 * other operation is attacked; one skipped without a line here fails the suite.
	 */
	private static final Map<String, String> SKIPPED = new TreeMap<>();

	static {
		// the collector authenticates by write key, not by caller: the workspace is the
		// key's. Covered by aWriteKeyOfAWritesIntoAOnly instead.
		for (String path : List.of("/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias",
				"/v1/batch", "/v1/import", "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a", "/v1/b")) {
			SKIPPED.put("POST " + path, "collector: authenticated by a write key, the workspace is the key's");
			SKIPPED.put("POST " + path + "/", "collector: authenticated by a write key, the workspace is the key's");
		}
		SKIPPED.put("GET /v1/projects/{writeKey}/settings",
				"the SDKs' settings: the path is a write key (a credential), not a caller's request");
		// sign-in: no caller and no workspace yet; a session is the caller's own
		SKIPPED.put("POST /v1/auth/login", "sign-in: no caller, no workspace (tested in api-gateway's AccessIT)");
		SKIPPED.put("POST /v1/auth/refresh", "sign-in: takes a refresh token, no workspace");
		SKIPPED.put("POST /v1/auth/logout", "sign-in: revokes the caller's own session, no workspace");
		SKIPPED.put("PUT /v1/auth/password", "changes the caller's own password and signs out its sessions");
		SKIPPED.put("GET /v1/auth/oidc", "single sign-on, open: whether OIDC is offered");
		SKIPPED.put("GET /v1/auth/oidc/login", "single sign-on redirect, no caller (OidcIT)");
		SKIPPED.put("GET /v1/auth/oidc/callback", "single sign-on redirect, no caller (OidcIT)");
		SKIPPED.put("POST /v1/auth/oidc/session", "single sign-on code exchange, no caller (OidcIT)");
	}

	/**
	 * Endpoints served but missing from the merged document, attacked as if listed:
	 * etl-service serves no {@code /v3/api-docs} (the merged document names it in
	 * {@code x-lodestar-unavailable}), and the gateway rewrites {@code /v1/write-keys} to
	 * the collector's internal API, which the merged document leaves out.
	 */
	private static final List<String[]> UNDOCUMENTED = List.of(new String[] { "GET", "/v1/jobs", "etl" },
			new String[] { "POST", "/v1/jobs/{job}/runs", "etl" }, new String[] { "GET", "/v1/jobs/{job}/runs", "etl" },
			new String[] { "GET", "/v1/jobs/runs/{runId}", "etl" }, new String[] { "POST", "/v1/jobs/rfm/runs", "etl" },
			new String[] { "GET", "/v1/jobs/rfm/runs/latest", "etl" },
			new String[] { "GET", "/v1/jobs/rfm/movement", "etl" },
			new String[] { "POST", "/internal/v1/lake/erasures", "etl-internal" },
			new String[] { "GET", "/internal/v1/lake/events", "etl-internal" },
			new String[] { "GET", "/v1/write-keys", "gateway" }, new String[] { "POST", "/v1/write-keys", "gateway" },
			new String[] { "DELETE", "/v1/write-keys/{id}", "gateway" });

	/**
	 * Bodies by operation; {@code ${name}} is B's id or value of that name. A body
	 * starting with {@code !unique } creates an object under a name B holds: a 409 there
	 * would tell A that B has it.
	 */
	private static final Map<String, List<String>> BODIES = new HashMap<>();

	static {
		body("POST /v1/profiles/search", "{\"filters\":[{\"field\":\"userId\",\"op\":\"eq\",\"value\":\"${userId}\"}]}",
				"{\"filters\":[{\"field\":\"traits.colour\",\"op\":\"eq\",\"value\":\"${colour}\"}]}", "{}");
		body("POST /v1/profiles/export",
				"{\"ignoreConsent\":true,\"filters\":[{\"field\":\"userId\",\"op\":\"eq\",\"value\":\"${userId}\"}],"
						+ "\"columns\":[\"profileId\",\"userId\",\"traits.email\",\"traits.colour\"]}",
				"{\"ignoreConsent\":true,\"columns\":[\"profileId\",\"userId\",\"traits.email\",\"traits.colour\"]}");
		body("PUT /v1/profiles/{profileId}/consent",
				"{\"purposes\":{\"marketing\":{\"granted\":false,\"source\":\"isolation-attack\"}}}");
		body("POST /v1/privacy/requests", "{\"kind\":\"access\",\"subject\":{\"userId\":\"${userId}\"}}",
				"{\"kind\":\"access\",\"subject\":{\"email\":\"${email}\"}}",
				"{\"kind\":\"access\",\"subject\":{\"profileId\":\"${profileId}\"}}",
				"{\"kind\":\"erasure\",\"subject\":{\"userId\":\"${userId}\"}}",
				"{\"kind\":\"erasure\",\"subject\":{\"phone\":\"${phone}\"}}");
		String funnel = "{\"steps\":[{\"event\":\"Order Completed\"},{\"event\":\"Product Clicked\"}],\"window\":\"P30D\","
				+ "\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"breakdown\":\"traits.colour\"}";
		body("POST /v1/analytics/funnels", funnel);
		body("POST /v1/analytics/funnels/dropped", "{\"funnel\":" + funnel + ",\"step\":1}");
		body("POST /v1/analytics/paths",
				"{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"start\":{\"event\":\"Order Completed\"},\"depth\":3}");
		String report = "{\"name\":\"%s\",\"kind\":\"kpis\",\"lastDays\":30,\"cron\":\"0 0 8 * * MON\","
				+ "\"recipients\":[\"%s\"]}";
		body("POST /v1/analytics/reports", "!unique " + report.formatted("${reportName}", "probe@isolation.example"));
		body("PUT /v1/analytics/reports/{reportId}", report.formatted("hijacked", "attacker@isolation.example"));
		body("POST /v1/segments/preview", "{\"rule\":{\"type\":\"profiles\",\"profileIds\":[\"${profileId}\"]}}",
				"{\"rule\":{\"type\":\"trait\",\"trait\":\"colour\",\"op\":\"eq\",\"value\":\"${colour}\"}}");
		body("POST /v1/segments",
				"!unique {\"name\":\"${segmentName}\",\"rule\":{\"type\":\"profiles\",\"profileIds\":[\"${profileId}\"]}}");
		body("PUT /v1/segments/{segmentId}",
				"{\"name\":\"hijacked\",\"rule\":{\"type\":\"trait\",\"trait\":\"colour\",\"op\":\"eq\",\"value\":\"x\"}}");
		body("POST /v1/segments/{segmentId}/destinations",
				"{\"name\":\"hijack\",\"url\":\"https://repo.maven.apache.org/isolation-hijack\"}");
		body("PATCH /v1/segments/{segmentId}/destinations/{destinationId}", "{\"enabled\":true}");
		body("POST /v1/connectors",
				"!unique {\"kind\":\"file-drop\",\"name\":\"${connectorName}\",\"schedule\":\"0 3 * * *\","
						+ "\"settings\":{\"location\":\"local\",\"folder\":\"${folder}\",\"format\":\"behaviour-csv\","
						+ "\"minAgeSeconds\":0}}");
		body("PATCH /v1/connectors/{id}", "{\"name\":\"hijacked\"}");
		body("POST /v1/connectors/{id}/pause", "{\"reason\":\"hijacked\"}");
		body("POST /v1/jobs/{job}/runs", "{\"parameters\":{\"dryRun\":true}}");
		body("PUT /v1/recommendations/settings", "{\"promotionPolicy\":\"manual\"}");
		body("PUT /v1/recommendations/items/{itemId}", "{\"available\":false}");
		// an existing user keeps their password: setting one would take B's member over
		body("POST /v1/users",
				"{\"username\":\"${memberName}\",\"role\":\"admin\",\"password\":\"attacker-password-123\"}");
		body("PUT /v1/users/{userId}", "{\"role\":\"viewer\"}");
		body("POST /v1/api-keys", "{\"name\":\"probe\",\"permissions\":[\"profiles:read\"]}");
		body("POST /v1/workspaces", "{\"id\":\"${workspace}\"}");
		body("POST /v1/write-keys", "{\"sourceId\":\"isolation-probe\"}");
		body("POST /internal/v1/workspaces/{workspaceId}/write-keys", "{\"sourceId\":\"isolation-probe\"}");
		body("POST /internal/v1/lake/erasures",
				"{\"workspaceId\":\"${workspace}\",\"profileIds\":[\"${profileId}\"],\"userIds\":[\"${userId}\"]}");
	}

	private static void body(String operation, String... bodies) {
		BODIES.put(operation, List.of(bodies));
	}

	/** Fields of B's objects that change by themselves, left out of the comparison. */
	private static final Set<String> VOLATILE = Set.of("nextRunAt", "lastUsedAt", "generatedAt", "asOf", "expiresAt");

	private static StackConfig config;

	private static Stack stack;

	private static boolean attached;

	private static String gateway;

	private static String wsA;

	private static String wsB;

	/** B's administrator (the stack's admin, a member of A and B). */
	private static String adminToken;

	/** A's admin, a member of A only: the attacker. */
	private static String attackerToken;

	private static String attackerId;

	/** An API key of A with every permission: the attacker's machine client. */
	private static String attackerKey;

	private static String writeKeyA;

	private static String writeKeyB;

	/** B's ids by kind. */
	private static final Map<String, String> B_IDS = new LinkedHashMap<>();

	/** B's distinctive values (identifiers, traits, names). */
	private static final Map<String, String> B_VALUES = new LinkedHashMap<>();

	/** B's objects as B's admin reads them before the attacks, by URL. */
	private static final Map<String, JsonNode> SNAPSHOT = new LinkedHashMap<>();

	/** Values the attacker wrote into A itself: seeing them back in A is no leak. */
	private static final Set<String> PLANTED_IN_A = new LinkedHashSet<>();

	@BeforeAll
	static void startPlatformAndPopulateBothWorkspaces() throws Exception {
		Path root = Path.of(System.getProperty("lodestar.project.root", "..")).toAbsolutePath().normalize();
		String attach = System.getProperty("isolation.attach", "");
		if (!attach.isEmpty()) {
			// iterating: a stack already up (./lodestar up) with the variables in this
			// file
			Map<String, String> env = new HashMap<>();
			for (String line : Files.readAllLines(Path.of(attach))) {
				if (line.contains("=")) {
					env.put(line.substring(0, line.indexOf('=')).trim(), line.substring(line.indexOf('=') + 1).trim());
				}
			}
			config = StackConfig.fromEnvironment(root, env);
			attached = true;
		}
		else {
			Path varDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "isolation-var-");
			Map<String, String> env = new HashMap<>();
			env.put("LODESTAR_VAR_DIR", varDir.toString());
			for (String port : List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT", "LODESTAR_KAFKA_CONTROLLER_PORT",
					"LODESTAR_GATEWAY_PORT", "LODESTAR_INGESTION_PORT", "LODESTAR_PROFILE_PORT",
					"LODESTAR_SEGMENT_PORT", "LODESTAR_RECOMMENDER_PORT", "LODESTAR_ETL_PORT")) {
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
		}
		gateway = config.gatewayUrl();
		String password = new LocalSecrets(config.varDir()).adminPassword();
		String first = IsolationHttp.signIn(gateway, LocalSecrets.ADMIN_USERNAME, password);
		wsA = "isows-a-" + random();
		wsB = "isows-b-" + random();
		for (String workspace : List.of(wsA, wsB)) {
			Answer created = as(first, null, "POST", gateway + "/v1/workspaces", "{\"id\":\"" + workspace + "\"}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
		}
		adminToken = IsolationHttp.signIn(gateway, LocalSecrets.ADMIN_USERNAME, password);
		B_VALUES.put("workspace", wsB);
		populateA(password);
		populateB();
		takeSnapshot();
		System.out.println("[isolation] workspace A " + wsA + ", workspace B " + wsB);
		System.out.println("[isolation] B's ids " + B_IDS);
		System.out.println("[isolation] B's values " + B_VALUES);
	}

	@AfterAll
	static void stopPlatform() {
		if (stack != null) {
			stack.stop();
			assertThat(stack.runningProcesses()).isEmpty();
		}
	}

	/**
	 * A's own data, its attacker (A's admin, nowhere else) and the attacker's API key.
	 */
	private static void populateA(String password) {
		writeKeyA = ok(admin(wsA, "POST", "/v1/write-keys", "{\"sourceId\":\"web\"}"), 201).json()
			.get("writeKey")
			.asString();
		String person = "au-" + random();
		assertThat(collect(gateway + "/v1/batch", writeKeyA,
				"""
						{"batch":[{"type":"identify","userId":"%s","traits":{"email":"%s@a-corp.example","colour":"teal"}},
						{"type":"track","userId":"%s","event":"Order Completed","properties":{"revenue":12,"products":[{"product_id":"ASKU-1","quantity":1}]},"timestamp":"2025-03-02T10:00:00Z"}]}"""
					.formatted(person, person, person))
			.status()).isEqualTo(200);
		String attacker = "attacker-" + random();
		String attackerPassword = "pw-" + random() + random();
		attackerId = ok(admin(wsA, "POST", "/v1/users",
				"{\"username\":\"" + attacker + "\",\"role\":\"admin\",\"password\":\"" + attackerPassword + "\"}"),
				201)
			.json()
			.get("id")
			.asString();
		attackerToken = IsolationHttp.signIn(gateway, attacker, attackerPassword);
		Answer me = as(attackerToken, null, "GET", gateway + "/v1/auth/me", "");
		assertThat(me.json().path("workspaces")).as("the attacker is a member of A only").hasSize(1);
		assertThat(me.json().path("workspaces").get(0).path("workspace").asString()).isEqualTo(wsA);
		List<String> permissions = new ArrayList<>();
		me.json().path("workspaces").get(0).path("permissions").forEach((p) -> permissions.add(p.asString()));
		attackerKey = ok(as(attackerToken, wsA, "POST", gateway + "/v1/api-keys",
				JSON.writeValueAsString(Map.of("name", "attacker-key", "permissions", permissions))), 201)
			.json()
			.get("secret")
			.asString();
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> as(adminToken, wsA, "GET", gateway + "/v1/profiles?userId=" + person, "").status() == 200);
	}

	/**
	 * One object of every kind in B, as B's administrator; every id and distinctive value
	 * recorded.
	 */
	private static void populateB() throws Exception {
		Answer key = ok(admin(wsB, "POST", "/v1/write-keys", "{\"sourceId\":\"web\"}"), 201);
		writeKeyB = key.json().get("writeKey").asString();
		B_IDS.put("writeKeyId", key.json().path("key").path("keyId").asString());
		B_VALUES.put("writeKey", writeKeyB);
		B_VALUES.put("userId", "bu-" + random());
		B_VALUES.put("anonymousId", "ba-" + random());
		B_VALUES.put("email", "be-" + random() + "@b-corp.example");
		B_VALUES.put("phone", "+35191" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999)));
		B_VALUES.put("deviceId", "bd-" + random());
		B_VALUES.put("colour", "bcolour-" + random());
		B_VALUES.put("personName", "Bname " + random());
		B_VALUES.put("item", "BSKU-" + random().toUpperCase(Locale.ROOT));
		B_VALUES.put("itemName", "bitem-" + random());
		String userId = B_VALUES.get("userId");
		// the person, and buyers enough for the recommendation job: each bought the
		// item and its companion in March, the third product after the hold-out's cut-off
		List<String> events = new ArrayList<>();
		events
			.add("""
					{"type":"identify","userId":"%s","anonymousId":"%s","traits":{"email":"%s","phone":"%s","name":"%s","colour":"%s"},\
					"context":{"device":{"id":"%s"}},"timestamp":"2025-03-01T09:00:00Z"}"""
				.formatted(userId, B_VALUES.get("anonymousId"), B_VALUES.get("email"), B_VALUES.get("phone"),
						B_VALUES.get("personName"), B_VALUES.get("colour"), B_VALUES.get("deviceId")));
		String item = B_VALUES.get("item");
		String line = "{\"product_id\":\"%s\",\"name\":\"%s\",\"category\":\"bcat\",\"price\":10,\"quantity\":1}";
		String first = line.formatted(item, B_VALUES.get("itemName"));
		String second = line.formatted(item + "-2", "companion");
		String third = line.formatted(item + "-3", "later");
		for (int i = 0; i < 12; i++) {
			String buyer = "bbuyer-" + i + "-" + B_VALUES.get("userId");
			events.add(order(buyer, "2025-03-0" + (2 + i % 5) + "T10:00:00Z", first, second));
			events.add(order(buyer, "2025-04-1" + (i % 9) + "T10:00:00Z", third));
		}
		events.add(order(userId, "2025-05-01T10:00:00Z", first, second));
		assertThat(collect(gateway + "/v1/batch", writeKeyB, "{\"batch\":[" + String.join(",", events) + "]}").status())
			.isEqualTo(200);
		JsonNode profile = await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> admin(wsB, "GET", "/v1/profiles?userId=" + userId, ""),
					(answer) -> answer.status() == 200
							&& answer.json().path("computed").path("eventCount").asLong() == 2)
			.json();
		String profileId = profile.path("profileId").asString();
		B_IDS.put("profileId", profileId);
		// the training job reads the lake: wait for the last buyer's events there
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> lakeEvents(wsB, profileId) == 2);
		Answer training = ok(admin(wsB, "POST", "/v1/jobs/recommendations/runs", "{}"), 202);
		B_IDS.put("jobRunId", training.json().path("runId").asString());

		ok(admin(wsB, "PUT", "/v1/profiles/" + profileId + "/consent",
				"{\"purposes\":{\"marketing\":{\"granted\":true,\"source\":\"b-banner\"}}}"), 200);
		Answer request = ok(admin(wsB, "POST", "/v1/privacy/requests",
				"{\"kind\":\"access\",\"subject\":{\"userId\":\"" + userId + "\"}}"), 202);
		B_IDS.put("requestId", request.json().path("requestId").asString());

		B_VALUES.put("segmentName", "bsegment-" + random());
		Answer segment = ok(admin(wsB, "POST", "/v1/segments", "{\"name\":\"" + B_VALUES.get("segmentName")
				+ "\",\"rule\":{\"type\":\"profiles\",\"profileIds\":[\"" + profileId + "\"]}}"), 201);
		String segmentId = segment.json().path("segmentId").asString();
		B_IDS.put("segmentId", segmentId);
		B_VALUES.put("destinationName", "bdest-" + random());
		Answer destination = ok(admin(wsB, "POST", "/v1/segments/" + segmentId + "/destinations",
				"{\"name\":\"" + B_VALUES.get("destinationName")
						+ "\",\"url\":\"https://repo.maven.apache.org/isolation-b-" + random() + "\"}"),
				201);
		String destinationId = destination.json().path("destination").path("destinationId").asString();
		B_IDS.put("destinationId", destinationId);
		// disabled: nothing is sent out, and an attacker enabling it would show
		ok(admin(wsB, "PATCH", "/v1/segments/" + segmentId + "/destinations/" + destinationId, "{\"enabled\":false}"),
				200);
		ok(admin(wsB, "POST", "/v1/segments/" + segmentId + "/recompute", ""), 200);

		// a file drop over a folder of B's, one CSV of a person only it knows
		B_VALUES.put("folder", "bdrop-" + random());
		B_VALUES.put("fileUser", "bfile-" + random());
		Path drop = config.dataDir().resolve("file-drops").resolve(wsB).resolve(B_VALUES.get("folder"));
		Files.createDirectories(drop);
		Files.writeString(drop.resolve("behaviour.csv"), """
				event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
				2025-04-20 09:00:00 UTC,view,%s,100,b.things,bbrand,12.50,%s,s-1
				""".formatted(item, B_VALUES.get("fileUser")));
		B_VALUES.put("connectorName", "bconn-" + random());
		Answer connector = ok(
				admin(wsB, "POST", "/v1/connectors",
						"{\"kind\":\"file-drop\",\"name\":\"" + B_VALUES.get("connectorName")
								+ "\",\"schedule\":\"0 3 * * *\",\"settings\":{\"location\":\"local\",\"folder\":\""
								+ B_VALUES.get("folder") + "\",\"format\":\"behaviour-csv\",\"minAgeSeconds\":0}}"),
				201);
		String connectorId = connector.json().path("id").asString();
		B_IDS.put("connectorId", connectorId);
		B_IDS.put("connectorRunId",
				ok(admin(wsB, "POST", "/v1/connectors/" + connectorId + "/runs", ""), 202).json()
					.path("id")
					.asString());

		B_VALUES.put("reportName", "breport-" + random());
		B_VALUES.put("recipient", "breports-" + random() + "@b-corp.example");
		B_IDS
			.put("reportId",
					ok(admin(wsB, "POST", "/v1/analytics/reports", "{\"name\":\"" + B_VALUES.get("reportName")
							+ "\",\"kind\":\"kpis\",\"lastDays\":30,\"cron\":\"0 0 8 * * MON\",\"recipients\":[\""
							+ B_VALUES.get("recipient") + "\"]}"), 201)
						.json()
						.path("reportId")
						.asString());

		B_VALUES.put("apiKeyName", "bkey-" + random());
		Answer apiKey = ok(admin(wsB, "POST", "/v1/api-keys",
				"{\"name\":\"" + B_VALUES.get("apiKeyName") + "\",\"permissions\":[\"profiles:read\"]}"), 201);
		B_IDS.put("apiKeyId", apiKey.json().path("key").path("id").asString());
		B_VALUES.put("apiKey", apiKey.json().path("secret").asString());
		B_VALUES.put("memberName", "bmember-" + random());
		B_VALUES.put("memberPassword", "bpw-" + random() + random());
		B_IDS.put("memberUserId",
				ok(admin(wsB, "POST", "/v1/users", "{\"username\":\"" + B_VALUES.get("memberName")
						+ "\",\"role\":\"viewer\",\"password\":\"" + B_VALUES.get("memberPassword") + "\"}"), 201)
					.json()
					.path("id")
					.asString());

		// the connector's run and the model: then feedback on the model's answer
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> admin(wsB, "GET", "/v1/connectors/" + connectorId + "/runs", "").json().path("items"),
					(runs) -> runs.size() == 1 && runs.get(0).path("status").asString().matches("succeeded|failed"));
		JsonNode run = await().atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofSeconds(3))
			.until(() -> admin(wsB, "GET", "/v1/jobs/runs/" + B_IDS.get("jobRunId"), "").json(),
					(node) -> node.path("status").asString().matches("succeeded|failed"));
		assertThat(run.path("status").asString()).as("B's recommendation training: " + run).isEqualTo("succeeded");
		B_IDS.put("versionId", run.path("result").path("versionId").asString(B_IDS.get("jobRunId")));
		// the first version is promoted (nothing served before) and loaded: then it
		// answers
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> admin(wsB, "GET", "/v1/recommendations/models", "").json(),
					(models) -> B_IDS.get("versionId").equals(models.path("loadedVersionId").asString()));
		Answer answer = ok(admin(wsB, "GET", "/v1/recommendations?userId=" + userId + "&limit=3", ""), 200);
		assertThat(answer.json().path("versionId").asString()).isEqualTo(B_IDS.get("versionId"));
		String recommendationId = answer.json().path("recommendationId").asString();
		B_IDS.put("recommendationId", recommendationId);
		String shown = answer.json().path("items").get(0).path("itemId").asString();
		assertThat(collect(gateway + "/v1/batch", writeKeyB,
				"""
						{"batch":[{"type":"track","userId":"%s","event":"Product List Viewed","properties":{"list_id":"recommendations",\
						"recommendation_id":"%s","products":[{"product_id":"%s","position":1}]}},
						{"type":"track","userId":"%s","event":"Product Clicked","properties":{"recommendation_id":"%s","product_id":"%s"}}]}"""
					.formatted(userId, recommendationId, shown, userId, recommendationId, shown))
			.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> admin(wsB, "GET", "/v1/recommendations/models/" + B_IDS.get("versionId") + "/feedback", "")
				.json()
				.path("clicks")
				.asLong() == 1);
		// the privacy request is done before the snapshot (its status would change)
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> admin(wsB, "GET", "/v1/privacy/requests/" + B_IDS.get("requestId"), "").json()
				.path("status")
				.asString()
				.matches("completed|failed"));
	}

	private static String order(String userId, String at, String... lines) {
		return "{\"type\":\"track\",\"userId\":\"" + userId
				+ "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":" + (10 * lines.length)
				+ ",\"currency\":\"EUR\",\"products\":[" + String.join(",", lines) + "]},\"timestamp\":\"" + at + "\"}";
	}

	/** B's objects as B's administrator reads them, before anything is attempted. */
	private static void takeSnapshot() {
		for (String url : snapshotUrls()) {
			Answer answer = admin(wsB, "GET", url, "");
			if (SNAPSHOT.isEmpty() && answer.status() != 200) {
				throw new AssertionError("B's admin reads " + url + ": " + answer);
			}
			if (answer.status() == 200) {
				SNAPSHOT.put(url, stable(answer.json()));
			}
		}
	}

	private static List<String> snapshotUrls() {
		String profile = "/v1/profiles/" + B_IDS.get("profileId");
		String segment = "/v1/segments/" + B_IDS.get("segmentId");
		return List.of(profile, "/v1/profiles?userId=" + B_VALUES.get("userId"),
				"/v1/profiles?email=" + B_VALUES.get("email"), profile + "/events?limit=100", profile + "/consent",
				"/v1/privacy/requests/" + B_IDS.get("requestId"), segment, segment + "/members",
				segment + "/destinations/" + B_IDS.get("destinationId"), "/v1/connectors/" + B_IDS.get("connectorId"),
				"/v1/connectors/" + B_IDS.get("connectorId") + "/runs", "/v1/jobs/runs/" + B_IDS.get("jobRunId"),
				"/v1/recommendations/models/" + B_IDS.get("versionId"),
				"/v1/recommendations/models/" + B_IDS.get("versionId") + "/feedback",
				"/v1/recommendations/items/" + B_VALUES.get("item"), "/v1/recommendations/settings",
				"/v1/analytics/reports/" + B_IDS.get("reportId"), "/v1/users", "/v1/api-keys", "/v1/write-keys");
	}

	/** The answer without the fields that change by themselves. */
	private static JsonNode stable(JsonNode node) {
		JsonNode copy = node.deepCopy();
		strip(copy);
		return copy;
	}

	private static void strip(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (String name : VOLATILE) {
				object.remove(name);
			}
		}
		for (JsonNode child : node) {
			strip(child);
		}
	}

	@Test
	@Order(1)
	void everyEndpointOfTheMergedDocumentRefusesACallerOfAnotherWorkspace() {
		JsonNode document = await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> send(call("GET", gateway + "/v3/api-docs", "")).json(), (node) -> {
				JsonNode missing = node.path("x-lodestar-unavailable");
				// etl-service serves no document at all (see UNDOCUMENTED)
				return !missing.toString().matches(".*(gateway|ingestion|profile|segment|recommender).*");
			});
		List<Operation> operations = operations(document, "gateway");
		for (String[] extra : UNDOCUMENTED) {
			if (!extra[2].equals("etl-internal") && operations.stream()
				.noneMatch((op) -> op.method().equals(extra[0]) && op.path().equals(extra[1]))) {
				operations.add(new Operation(extra[0], extra[1], JSON.createObjectNode(), "undocumented"));
			}
		}
		Sweep sweep = new Sweep("gateway");
		for (Operation operation : ordered(operations)) {
			if (sweep.skip(operation)) {
				continue;
			}
			for (Probe probe : sweep.probes(gateway, operation)) {
				Call base = probe.call();
				sweep.check(probe, "A's user in A",
						base.header("Authorization", "Bearer " + attackerToken).header("X-Lodestar-Workspace", wsA),
						false);
				sweep.check(probe, "A's user naming B",
						base.header("Authorization", "Bearer " + attackerToken).header("X-Lodestar-Workspace", wsB),
						true);
				sweep.check(probe, "A's API key", base.header("X-Api-Key", attackerKey), false);
				sweep.check(probe, "A's API key naming B",
						base.header("X-Api-Key", attackerKey).header("X-Lodestar-Workspace", wsB), true);
			}
		}
		sweep.report();
		assertThat(sweep.tried).as("operations of the merged document attacked").isNotEmpty();
		List<String> failures = new ArrayList<>(sweep.failures);
		failures.addAll(changesOfB());
		assertThat(failures).as("isolation failures through the gateway").isEmpty();
	}

	@Test
	@Order(2)
	void everyServicePortRefusesAWorkspaceTheGatewayDidNotVouchFor() {
		String secret = new LocalSecrets(config.varDir()).serviceSecret();
		long later = Instant.now().plusSeconds(3600).getEpochSecond();
		List<String> failures = new ArrayList<>();
		for (ServiceSpec service : config.services()) {
			if (service.name().equals("api-gateway")) {
				continue;
			}
			Answer docs = send(call("GET", service.url() + "/v3/api-docs", ""));
			List<Operation> operations = new ArrayList<>();
			if (docs.status() == 200) {
				operations.addAll(operations(docs.json(), service.name()));
			}
			else {
				System.out.println("[isolation] " + service.name() + " serves no /v3/api-docs (" + docs.status()
						+ "): its endpoints from the suite's list");
			}
			if (service.name().equals("etl-service")) {
				for (String[] extra : UNDOCUMENTED) {
					if (extra[2].startsWith("etl") && operations.stream()
						.noneMatch((op) -> op.method().equals(extra[0]) && op.path().equals(extra[1]))) {
						operations.add(new Operation(extra[0], extra[1], JSON.createObjectNode(), "undocumented"));
					}
				}
			}
			Sweep sweep = new Sweep(service.name());
			for (Operation operation : ordered(operations)) {
				if (sweep.skip(operation)) {
					continue;
				}
				for (Probe probe : sweep.probes(service.url(), operation)) {
					Call base = probe.call().header("X-Lodestar-Workspace", wsB);
					String actor = "user:" + attackerId;
					sweep.check(probe, "no assertion, naming B", base, true);
					sweep.check(probe, "forged assertion for B", base.header("X-Lodestar-Assertion",
							IsolationHttp.assertion("not-the-secret-" + random() + random(), wsB, actor, later)), true);
					sweep.check(probe, "A's valid assertion, naming B",
							base.header("X-Lodestar-Assertion", IsolationHttp.assertion(secret, wsA, actor, later)),
							true);
					sweep.check(probe, "expired assertion for B", base.header("X-Lodestar-Assertion", IsolationHttp
						.assertion(secret, wsB, actor, Instant.now().minusSeconds(5).getEpochSecond())), true);
					sweep.check(probe, "A's valid assertion in A",
							probe.call()
								.header("X-Lodestar-Workspace", wsA)
								.header("X-Lodestar-Assertion", IsolationHttp.assertion(secret, wsA, actor, later)),
							false);
				}
			}
			sweep.report();
			failures.addAll(sweep.failures);
		}
		failures.addAll(changesOfB());
		assertThat(failures).as("isolation failures at the services' own ports").isEmpty();
	}

	@Test
	@Order(3)
	void aFileDropConnectorOfAOverBsFolderImportsNothingOfB() {
		Answer created = as(attackerToken, wsA, "POST", gateway + "/v1/connectors",
				"{\"kind\":\"file-drop\",\"name\":\"a-over-b-" + random()
						+ "\",\"schedule\":\"0 3 * * *\",\"settings\":{\"location\":\"local\",\"folder\":\""
						+ B_VALUES.get("folder") + "\",\"format\":\"behaviour-csv\",\"minAgeSeconds\":0}}");
		if (created.status() != 201) {
			// refused: the folder is not A's to read
			assertThat(created.status()).as(created.toString()).isBetween(400, 499);
			assertThat(created.problem()).isTrue();
			return;
		}
		String id = created.json().path("id").asString();
		ok(as(attackerToken, wsA, "POST", gateway + "/v1/connectors/" + id + "/runs", ""), 202);
		JsonNode run = await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> as(attackerToken, wsA, "GET", gateway + "/v1/connectors/" + id + "/runs", "").json()
				.path("items")
				.path(0), (node) -> node.path("status").asString().matches("succeeded|failed"));
		// what the run imported reaches A's profiles through the pipeline: give it time
		await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() -> true);
		Answer found = as(attackerToken, wsA, "GET", gateway + "/v1/profiles?userId=" + B_VALUES.get("fileUser"), "");
		assertThat(found.status())
			.as("a connector of A over B's drop folder %s ran (%s) and A now holds B's person: %s",
					B_VALUES.get("folder"), run, found)
			.isEqualTo(404);
		assertThat(run.path("rows").asLong()).as("rows of B's folder imported into A: " + run).isZero();
	}

	@Test
	@Order(4)
	void aWriteKeyOfAWritesIntoAOnly() {
		// events sent with A's write key naming B's person land in A, never on B's
		// profile
		assertThat(collect(gateway + "/v1/identify", writeKeyA,
				"{\"userId\":\"" + B_VALUES.get("userId") + "\",\"traits\":{\"colour\":\"written-by-a\"}}")
			.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> admin(wsA, "GET", "/v1/profiles?userId=" + B_VALUES.get("userId"), "").status() == 200);
		Answer inA = admin(wsA, "GET", "/v1/profiles?userId=" + B_VALUES.get("userId"), "");
		assertThat(inA.json().path("profileId").asString()).isNotEqualTo(B_IDS.get("profileId"));
		assertThat(inA.body()).doesNotContain(B_VALUES.get("email")).doesNotContain(B_VALUES.get("colour"));
		// the write key of B does not work as a caller's credential either
		Answer asCaller = send(call("GET", gateway + "/v1/profiles?userId=" + B_VALUES.get("userId"), "")
			.header("Authorization", "Bearer " + writeKeyB));
		assertThat(asCaller.status()).isEqualTo(401);
		// nor does the attacker's password take B's member over
		Answer takeover = send(call("POST", gateway + "/v1/auth/login",
				"{\"username\":\"" + B_VALUES.get("memberName") + "\",\"password\":\"attacker-password-123\"}"));
		assertThat(takeover.status()).isEqualTo(401);
		assertThat(changesOfB()).isEmpty();
	}

	/**
	 * What changed in B since the snapshot, as B's administrator reads it. A change found
	 * is reported once: then B's write key is renewed if it was revoked and the snapshot
	 * retaken, so that the next test measures its own attacks only.
	 */
	private static List<String> changesOfB() {
		List<String> changes = compareWithSnapshot();
		if (!changes.isEmpty()) {
			if (changes.stream().anyMatch((change) -> change.startsWith("B's write key no longer collects"))) {
				writeKeyB = ok(admin(wsB, "POST", "/v1/write-keys", "{\"sourceId\":\"web\"}"), 201).json()
					.get("writeKey")
					.asString();
			}
			Map<String, JsonNode> before = new LinkedHashMap<>(SNAPSHOT);
			SNAPSHOT.clear();
			for (String url : before.keySet()) {
				Answer answer = admin(wsB, "GET", url, "");
				if (answer.status() == 200) {
					SNAPSHOT.put(url, stable(answer.json()));
				}
			}
		}
		return changes;
	}

	private static List<String> compareWithSnapshot() {
		List<String> changes = new ArrayList<>();
		for (Map.Entry<String, JsonNode> entry : SNAPSHOT.entrySet()) {
			Answer now = admin(wsB, "GET", entry.getKey(), "");
			if (now.status() != 200) {
				changes.add("B's " + entry.getKey() + " is gone: " + now);
			}
			else if (!stable(now.json()).equals(entry.getValue())) {
				changes.add("B's " + entry.getKey() + " changed:\n  before " + entry.getValue() + "\n  after  "
						+ stable(now.json()));
			}
		}
		Answer member = send(call("POST", gateway + "/v1/auth/login", "{\"username\":\"" + B_VALUES.get("memberName")
				+ "\",\"password\":\"" + B_VALUES.get("memberPassword") + "\"}"));
		if (member.status() != 200) {
			changes.add("B's member can no longer sign in: " + member);
		}
		Answer key = send(call("GET", gateway + "/v1/profiles/" + B_IDS.get("profileId"), "").header("X-Api-Key",
				B_VALUES.get("apiKey")));
		if (key.status() != 200) {
			changes.add("B's API key no longer reads B's profile: " + key);
		}
		Answer collector = collect(gateway + "/v1/track", writeKeyB,
				"{\"anonymousId\":\"bprobe-" + random() + "\",\"event\":\"Isolation Probe\"}");
		if (collector.status() != 200) {
			changes.add("B's write key no longer collects: " + collector);
		}
		return changes;
	}

	/** One operation of a document. */
	private record Operation(String method, String path, JsonNode operation, String source) {

		String key() {
			return this.method + " " + this.path;
		}

		boolean mutation() {
			return !this.method.equals("GET");
		}

	}

	/**
	 * A request made from an operation, before the caller's credentials and workspace.
	 *
	 * @param operation where it comes from
	 * @param call the request
	 * @param targetsB whether its path names one of B's objects by id
	 * @param unique whether its body creates an object under a name B holds
	 */
	private record Probe(Operation operation, Call call, boolean targetsB, boolean unique) {
	}

	private static List<Operation> operations(JsonNode document, String source) {
		List<Operation> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
			for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
				if (Set.of("get", "put", "post", "delete", "patch").contains(method.getKey())) {
					operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
							method.getValue(), source));
				}
			}
		}
		return operations;
	}

	/** Reads first, then changes, deletions last: a deletion never hides a read. */
	private static List<Operation> ordered(List<Operation> operations) {
		List<String> order = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
		return operations.stream()
			.sorted(java.util.Comparator.comparing((Operation op) -> order.indexOf(op.method()))
				.thenComparing(Operation::path))
			.toList();
	}

	/**
	 * B's object for a path parameter, by name, the generic names by the collection
	 * before them; null when nothing matches.
	 */
	private static String pathValue(String path, String name) {
		String before = path.substring(0, path.indexOf("{" + name + "}"));
		String[] segments = before.split("/");
		String collection = (segments.length > 0) ? segments[segments.length - 1] : "";
		return switch (name) {
			case "profileId", "segmentId", "destinationId", "requestId", "reportId", "versionId" -> B_IDS.get(name);
			// an item id is the shop's own product code, not an id the platform gave
			// B: A may hold the same code; B's item must stay as it was
			case "itemId" -> B_VALUES.get("item");
			case "workspaceId" -> wsB;
			// a job is a name every workspace shares; A's run of it is A's own
			case "job" -> "identity";
			case "runId" -> path.startsWith("/v1/connectors") ? B_IDS.get("connectorRunId") : B_IDS.get("jobRunId");
			case "id", "keyId", "userId" -> switch (collection) {
				case "connectors" -> B_IDS.get("connectorId");
				case "write-keys" -> B_IDS.get("writeKeyId");
				case "api-keys" -> B_IDS.get("apiKeyId");
				case "users" -> B_IDS.get("memberUserId");
				default -> null;
			};
			default -> null;
		};
	}

	/** The names of B's objects whose ids make a request one on B's object. */
	private static final Set<String> OBJECT_PARAMETERS = Set.of("profileId", "segmentId", "destinationId", "requestId",
			"reportId", "versionId", "runId", "id", "keyId", "userId", "workspaceId");

	/** One sweep over a document's operations: probes, checks, counts and failures. */
	private static final class Sweep {

		final String name;

		final List<String> failures = new ArrayList<>();

		final Map<String, String> skipped = new TreeMap<>();

		final Set<String> tried = new LinkedHashSet<>();

		final Set<String> genericBodies = new LinkedHashSet<>();

		int requests;

		final Map<Integer, Integer> statuses = new TreeMap<>();

		Sweep(String name) {
			this.name = name;
		}

		boolean skip(Operation operation) {
			String reason = SKIPPED.get(operation.key());
			if (reason != null) {
				this.skipped.put(operation.key(), reason);
				return true;
			}
			return false;
		}

		List<Probe> probes(String base, Operation operation) {
			this.tried.add(operation.key());
			String path = operation.path();
			boolean targetsB = false;
			Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(operation.path());
			while (parameter.find()) {
				String name = parameter.group(1);
				String value = pathValue(operation.path(), name);
				if (value == null) {
					this.failures.add(operation.key() + ": no object of B for path parameter {" + name
							+ "} — add it to pathValue, the endpoint is not covered");
					return List.of();
				}
				targetsB |= OBJECT_PARAMETERS.contains(name);
				path = path.replace("{" + name + "}", java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
			}
			List<String> fixed = new ArrayList<>();
			boolean lookup = false;
			for (JsonNode p : operation.operation().path("parameters")) {
				if (!p.path("in").asString().equals("query")) {
					continue;
				}
				String name = p.path("name").asString();
				boolean required = p.path("required").asBoolean(false);
				switch (name) {
					// the Workspace argument, which is the header, shown as a query
					// object
					case "workspace" -> {
					}
					// a map of lookups (identifiers) and filters
					case "parameters" -> lookup = true;
					case "workspaceId" -> fixed.add("workspaceId=" + enc(wsB));
					case "profileId" -> fixed.add("profileId=" + enc(B_IDS.get("profileId")));
					case "from" -> fixed.add("from=2025-01-01");
					case "to" -> fixed.add("to=2025-12-31");
					default -> {
						if (IDENTIFIERS.contains(name)) {
							lookup = true;
						}
						else if (required) {
							fixed.add(name + "=" + neutral(p.path("schema")));
						}
					}
				}
			}
			if (operation.source().equals("undocumented") && operation.path().equals("/internal/v1/lake/events")) {
				fixed.add("workspaceId=" + enc(wsB));
				fixed.add("profileId=" + enc(B_IDS.get("profileId")));
			}
			List<String> queries = new ArrayList<>();
			queries.add(String.join("&", fixed));
			if (lookup) {
				for (String identifier : IDENTIFIERS) {
					List<String> withIdentifier = new ArrayList<>(fixed);
					withIdentifier.add(identifier + "=" + enc(B_VALUES.get(identifier)));
					queries.add(String.join("&", withIdentifier));
				}
			}
			List<String> bodies = BODIES.get(operation.key());
			if (bodies == null) {
				boolean hasBody = operation.operation().has("requestBody");
				if (hasBody) {
					this.genericBodies.add(operation.key());
				}
				bodies = List.of(hasBody ? "{}" : "");
			}
			List<Probe> probes = new ArrayList<>();
			for (String query : queries) {
				for (String template : bodies) {
					boolean unique = template.startsWith("!unique ");
					String body = fill(unique ? template.substring("!unique ".length()) : template);
					String url = base + path + (query.isEmpty() ? "" : "?" + query);
					probes.add(new Probe(operation, call(operation.method(), url, body), targetsB, unique));
				}
			}
			return probes;
		}

		/**
		 * Sends and checks. Refusal expected ({@code naming B}): any 2xx on a change
		 * fails, a 2xx read must hold nothing of B. In A: a change of one of B's objects
		 * by id must fail; nothing of B in any answer; errors are 4xx problem JSON.
		 */
		void check(Probe probe, String who, Call call, boolean namingB) {
			Answer answer;
			try {
				answer = send(call);
			}
			catch (RuntimeException ex) {
				this.failures.add("[" + who + "] " + call + " → no answer: " + ex);
				return;
			}
			this.requests++;
			this.statuses.merge(answer.status(), 1, Integer::sum);
			String at = "[" + this.name + ", " + who + "] " + call + "\n    → " + answer;
			if (answer.status() >= 500) {
				this.failures.add(at + "\n    a server error is not a refusal");
				return;
			}
			if (answer.status() >= 300 && answer.status() < 400) {
				this.failures.add(at + "\n    a redirect is not a refusal");
				return;
			}
			if (answer.success() && probe.operation().mutation() && (namingB || probe.targetsB())) {
				this.failures
					.add(at + "\n    a change " + (namingB ? "in workspace B" : "of B's object") + " succeeded");
			}
			if (!answer.success() && !answer.problem() && !answer.body().isEmpty()) {
				this.failures.add(at + "\n    an error without problem JSON");
			}
			String sent = call.sent();
			String body = answer.body().toLowerCase(Locale.ROOT);
			Map<String, String> canaries = new LinkedHashMap<>(B_IDS);
			canaries.putAll(B_VALUES);
			// a 409 on a name only B holds (A's own earlier create of it aside)
			if (answer.status() == 409 && probe.unique() && !namingB
					&& canaries.values()
						.stream()
						.map((value) -> value.toLowerCase(Locale.ROOT))
						.noneMatch((value) -> sent.contains(value) && PLANTED_IN_A.contains(value))) {
				this.failures.add(at + "\n    409 on a name B holds tells A that B has it");
			}
			List<String> leaked = new ArrayList<>();
			for (Map.Entry<String, String> canary : canaries.entrySet()) {
				String value = canary.getValue().toLowerCase(Locale.ROOT);
				if (value.isEmpty() || sent.contains(value) || (!namingB && PLANTED_IN_A.contains(value))) {
					continue;
				}
				if (body.contains(value)) {
					leaked.add(canary.getKey() + "=" + canary.getValue());
				}
			}
			if (!leaked.isEmpty()) {
				this.failures.add(at + "\n    leaks B's " + String.join(", ", leaked));
			}
			if (answer.success() && probe.operation().path().endsWith("/preview")
					&& answer.json().path("size").asLong() > 0) {
				this.failures.add(at + "\n    a preview naming only B's people counts some in A");
			}
			if (answer.success() && !namingB && probe.operation().mutation()) {
				// what the attacker wrote into A is A's from now on
				for (String value : canaries.values()) {
					if (sent.contains(value.toLowerCase(Locale.ROOT))) {
						PLANTED_IN_A.add(value.toLowerCase(Locale.ROOT));
					}
				}
			}
		}

		void report() {
			System.out.println("[isolation] " + this.name + ": " + this.tried.size() + " operations (method × path) "
					+ "attacked with " + this.requests + " requests; statuses " + this.statuses);
			System.out.println("[isolation] " + this.name + ": skipped with a reason: " + this.skipped.size());
			this.skipped.forEach((key, reason) -> System.out.println("    " + key + " — " + reason));
			if (!this.genericBodies.isEmpty()) {
				System.out.println(
						"[isolation] " + this.name + ": sent {} (no body written for them yet): " + this.genericBodies);
			}
			System.out.println("[isolation] " + this.name + ": " + this.failures.size() + " failures");
			this.failures.forEach((failure) -> System.out.println("  ✗ " + failure));
		}

	}

	private static String fill(String template) {
		Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(template);
		StringBuilder out = new StringBuilder();
		while (placeholder.find()) {
			String name = placeholder.group(1);
			String value = B_IDS.containsKey(name) ? B_IDS.get(name) : B_VALUES.get(name);
			if (value == null) {
				throw new IllegalStateException("no value of B named " + name);
			}
			placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		placeholder.appendTail(out);
		return out.toString();
	}

	private static String neutral(JsonNode schema) {
		if (schema.has("default")) {
			return enc(schema.get("default").asString());
		}
		if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
			return enc(schema.path("enum").get(0).asString());
		}
		return switch (schema.path("type").asString()) {
			case "integer", "number" -> "1";
			case "boolean" -> "false";
			default -> "x";
		};
	}

	private static String enc(String value) {
		return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static Answer admin(String workspace, String method, String path, String body) {
		return as(adminToken, workspace, method, gateway + path, body);
	}

	private static Answer ok(Answer answer, int status) {
		assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
		return answer;
	}

	/** The person's rows in the lake, through etl-service's internal lake API. */
	/**
	 * The person's rows in the lake, asked as profile-service asks: with a signed
	 * workspace.
	 */
	private static int lakeEvents(String workspace, String profileId) {
		Answer answer = send(call("GET",
				config.service("etl-service").url() + "/internal/v1/lake/events?workspaceId=" + workspace
						+ "&profileId=" + profileId,
				"")
			.header("X-Lodestar-Workspace", workspace)
			.header(GatewayWord.HEADER, IsolationHttp.assertion(new LocalSecrets(config.varDir()).serviceSecret(),
					workspace, "service:isolation-suite", Instant.now().plusSeconds(60).getEpochSecond())));
		return (answer.status() == 200) ? answer.json().path("events").size() : -1;
	}

	private static String random() {
		byte[] bytes = new byte[5];
		ThreadLocalRandom.current().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
