package io.lodestar.ingestion.connector.appsflyer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.Identity;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorContext.DateRange;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.Csv;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.Hashes;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * {@code appsflyer}: the raw-data export ({@code GET
 * /api/raw-data/export/app/{app}/{report}/v5?from=&to=}, a CSV with a fixed column order)
 * of in-app events (and installs, if asked for) as {@code track} events:
 * {@code Customer User ID} is the user id, the {@code AppsFlyer ID} the anonymous id, the
 * advertising id goes to {@code context.device}. {@code N/A}, {@code NULL} and empty
 * cells are nulls. A daily cap (HTTP 400/403 "limit reached") pauses the connector until
 * the next day (UTC). Settings: {@code appId}, {@code reports}
 * ({@code in_app_events_report}, {@code installs_report}), {@code startDate},
 * {@code trailingDays}. Credentials: {@code apiToken}.
 */
@Component
public class AppsFlyerConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "appsflyer";

	static final List<String> REPORTS = List.of("in_app_events_report", "installs_report");

	private static final Set<String> NULLS = Set.of("", "N/A", "NULL", "null");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final Map<String, String> PROPERTIES = Map.ofEntries(Map.entry("Event Revenue", "revenue"),
			Map.entry("Event Revenue Currency", "currency"), Map.entry("Event Revenue USD", "revenueUsd"),
			Map.entry("Media Source", "mediaSource"), Map.entry("Channel", "channel"),
			Map.entry("Campaign", "campaign"), Map.entry("Campaign ID", "campaignId"), Map.entry("Adset", "adset"),
			Map.entry("Ad", "ad"), Map.entry("Attributed Touch Type", "touchType"),
			Map.entry("Install Time", "installTime"), Map.entry("Country Code", "country"),
			Map.entry("App Version", "appVersion"), Map.entry("Is Retargeting", "retargeting"));

	private final ConnectorProperties.AppsFlyer appsflyer;

	AppsFlyerConnector(ConnectorProperties properties) {
		this.appsflyer = properties.appsflyer();
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "appId", "[A-Za-z0-9._-]{1,100}",
				"the app id, e.g. id1234567890 or com.example.shop");
		JsonNode reports = settings.get("reports");
		if (!reports.isMissingNode() && !reports.isNull()) {
			boolean ok = reports.isArray() && !reports.isEmpty();
			for (JsonNode report : reports) {
				ok &= REPORTS.contains(report.asString(""));
			}
			if (!ok) {
				errors.add("settings.reports", "must be a non-empty list of " + REPORTS);
			}
		}
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "trailingDays", "integer>=0");
		credentials.require(errors, "apiToken");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		LocalDate today = LocalDate.now(context.clock().withZone(ZoneOffset.UTC));
		context.retrier().call(() -> {
			try (InputStream body = export(context, REPORTS.get(0), new DateRange(today, today))) {
				return body.read();
			}
		});
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		DateRange range = context.dateRange(context.settings().integer("trailingDays", 1), 7, ZoneOffset.UTC);
		if (range.isEmpty()) {
			return;
		}
		Instant receivedAt = context.clock().instant();
		for (String report : reports(context.settings())) {
			context.retrier().call(() -> {
				try (InputStream body = export(context, report, range)) {
					read(body, report, context, sink, receivedAt);
				}
				return null;
			});
			sink.page();
		}
		sink.watermark(range.until().toString());
	}

	private void read(InputStream body, String report, ConnectorContext context, RecordSink sink, Instant receivedAt)
			throws IOException {
		Csv csv = new Csv(new InputStreamReader(body, StandardCharsets.UTF_8), ',');
		List<String> header = csv.next();
		if (header == null) {
			return;
		}
		Map<String, Integer> columns = new HashMap<>();
		for (int i = 0; i < header.size(); i++) {
			columns.put(header.get(i).replace("\uFEFF", "").trim(), i);
		}
		for (String required : List.of("Event Time", "Event Name", "AppsFlyer ID")) {
			if (!columns.containsKey(required)) {
				throw new MalformedPageException("AppsFlyer " + report + " has no '" + required + "' column");
			}
		}
		List<String> row;
		while ((row = csv.next()) != null) {
			if (row.size() == 1 && row.get(0).isBlank()) {
				continue;
			}
			try {
				sink.event(toEvent(row, csv.raw(), csv.recordLine(), columns, report, context, receivedAt));
			}
			catch (MalformedPageException ex) {
				String raw = csv.raw();
				sink.reject(new RejectedEvent(context.workspaceId(), context.connectorId(), receivedAt,
						"appsflyer:" + report, (int) csv.recordLine(), List.of(ex.getMessage()),
						(raw.length() > 32_768) ? raw.substring(0, 32_768) : raw));
			}
		}
	}

	private static EventEnvelope toEvent(List<String> row, String raw, long line, Map<String, Integer> columns,
			String report, ConnectorContext context, Instant receivedAt) {
		if (row.size() != columns.size()) {
			throw new MalformedPageException(
					"line " + line + " has " + row.size() + " columns, the header " + columns.size());
		}
		Instant occurredAt;
		try {
			occurredAt = LocalDateTime.parse(cell(row, columns, "Event Time"), TIME).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException | NullPointerException ex) {
			throw new MalformedPageException("line " + line + " Event Time is not 'yyyy-MM-dd HH:mm:ss'");
		}
		String name = cell(row, columns, "Event Name");
		if (name == null) {
			throw new MalformedPageException("line " + line + " has no Event Name");
		}
		String appsflyerId = cell(row, columns, "AppsFlyer ID");
		String userId = cell(row, columns, "Customer User ID");
		if (appsflyerId == null && userId == null) {
			throw new MalformedPageException("line " + line + " has neither AppsFlyer ID nor Customer User ID");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Map.Entry<String, String> mapping : PROPERTIES.entrySet()) {
			String value = cell(row, columns, mapping.getKey());
			if (value != null) {
				properties.put(mapping.getValue(), numberOr(value));
			}
		}
		String eventValue = cell(row, columns, "Event Value");
		if (eventValue != null && eventValue.startsWith("{")) {
			try {
				JsonNode values = context.json().readTree(eventValue);
				for (Map.Entry<String, JsonNode> value : values.properties()) {
					properties.putIfAbsent(value.getKey(), numberOr(value.getValue().asString()));
				}
			}
			catch (JacksonException ex) {
				throw new MalformedPageException("line " + line + " Event Value is not JSON");
			}
		}
		Map<String, Object> device = new LinkedHashMap<>();
		String advertisingId = firstOf(row, columns, "Advertising ID", "IDFA");
		if (advertisingId != null) {
			device.put("advertisingId", advertisingId);
		}
		String idfv = cell(row, columns, "IDFV");
		if (idfv != null) {
			device.put("id", idfv);
		}
		String platform = cell(row, columns, "Platform");
		if (platform != null) {
			device.put("type", platform.toLowerCase(Locale.ROOT));
		}
		Map<String, Object> contextMap = new LinkedHashMap<>();
		if (!device.isEmpty()) {
			contextMap.put("device", device);
		}
		String appVersion = cell(row, columns, "App Version");
		if (appVersion != null) {
			contextMap.put("app", Map.of("version", appVersion));
		}
		contextMap.put("library", Map.of("name", "appsflyer-raw-data"));
		String event = "installs_report".equals(report) ? "Application Installed" : name;
		String messageId = "af-" + Hashes.sha256(report + '\u0000' + raw);
		return new EventEnvelope(EventEnvelope.eventIdFor(context.workspaceId(), messageId), EventType.TRACK.id(),
				EventType.TRACK.schemaVersion(), occurredAt, receivedAt, context.workspaceId(), context.connectorId(),
				messageId, new Identity(userId, appsflyerId), contextMap,
				Map.of("event", event, "properties", properties));
	}

	private InputStream export(ConnectorContext context, String report, DateRange range) throws Exception {
		URI uri = URI
			.create(this.appsflyer.baseUrl() + "/api/raw-data/export/app/" + context.settings().requiredText("appId")
					+ "/" + report + "/v5?from=" + range.since() + "&to=" + range.until());
		HttpResponse<InputStream> response = context.http()
			.send(HttpRequest.newBuilder(uri)
				.timeout(Duration.ofMinutes(10))
				.header("Authorization", "Bearer " + context.credentials().get("apiToken"))
				.header("Accept", "text/csv")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		int status = response.statusCode();
		if (status / 100 == 2) {
			return response.body();
		}
		String text;
		try (InputStream error = response.body()) {
			text = new String(error.readNBytes(2048), StandardCharsets.UTF_8);
		}
		String lower = text.toLowerCase(Locale.ROOT);
		if ((status == 400 || status == 403) && lower.contains("limit") && lower.contains("reached")) {
			Instant midnight = LocalDate.now(context.clock().withZone(ZoneOffset.UTC))
				.plusDays(1)
				.atStartOfDay()
				.toInstant(ZoneOffset.UTC);
			throw new ThrottledException(Throttle.dailyQuota(midnight, "AppsFlyer daily API cap for " + report));
		}
		if (status == 401 || status == 403) {
			throw new SourceAuthenticationException("AppsFlyer refused the API token (HTTP " + status + ")");
		}
		if (status == 429 || status >= 500) {
			throw new ThrottledException(Throttle.transientLimit("AppsFlyer HTTP " + status));
		}
		throw new IllegalStateException("AppsFlyer answered HTTP " + status + " for " + report);
	}

	private static List<String> reports(ConnectorSettings settings) {
		JsonNode reports = settings.get("reports");
		if (!reports.isArray()) {
			return List.of(REPORTS.get(0));
		}
		return REPORTS.stream()
			.filter((name) -> reports.valueStream().anyMatch((value) -> name.equals(value.asString(""))))
			.toList();
	}

	private static String cell(List<String> row, Map<String, Integer> columns, String name) {
		Integer index = columns.get(name);
		if (index == null) {
			return null;
		}
		String value = row.get(index).trim();
		return NULLS.contains(value) ? null : value;
	}

	private static String firstOf(List<String> row, Map<String, Integer> columns, String... names) {
		for (String name : names) {
			String value = cell(row, columns, name);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static Object numberOr(String value) {
		if (value.matches("-?[0-9]+(\\.[0-9]+)?") && value.length() < 19 && !value.startsWith("0")
				|| value.matches("0(\\.[0-9]+)?")) {
			return new BigDecimal(value);
		}
		if ("true".equals(value) || "false".equals(value)) {
			return Boolean.valueOf(value);
		}
		return value;
	}

}
