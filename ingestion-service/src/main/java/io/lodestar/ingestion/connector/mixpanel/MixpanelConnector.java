package io.lodestar.ingestion.connector.mixpanel;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.Hashes;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.RetryAfter;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * {@code mixpanel}: the raw export ({@code GET /api/2.0/export?from_date=&to_date=}, one
 * JSON event per line) as {@code track} events on {@code cdp.ingestion.events}. The
 * export is not deduplicated, so the message id is a hash of event, {@code distinct_id},
 * {@code time} and {@code $insert_id}: a re-read day (the trailing window, default 2
 * days) yields the same event ids. {@code $user_id} (else a {@code distinct_id} that is
 * not a device id) is the user id, {@code $device_id} the anonymous id. Settings:
 * {@code projectId} (service accounts), {@code startDate}, {@code trailingDays},
 * {@code timeZone} (the project's). Credentials: {@code username} and {@code secret} (a
 * service account), or the project's API {@code secret} alone.
 */
@Component
public class MixpanelConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "mixpanel";

	private static final List<String> RESERVED = List.of("distinct_id", "time", "$insert_id", "$user_id", "$device_id",
			"mp_processing_time_ms");

	private final ConnectorProperties.Mixpanel mixpanel;

	MixpanelConnector(ConnectorProperties properties) {
		this.mixpanel = properties.mixpanel();
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "trailingDays", "integer>=0");
		settings.checkOptional(errors, "timeZone", "zone");
		settings.text("projectId")
			.filter((id) -> !id.matches("[0-9]{1,20}"))
			.ifPresent((id) -> errors.add("settings.projectId", "must be the numeric project id"));
		credentials.require(errors, "secret");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		java.time.LocalDate today = java.time.LocalDate
			.now(context.clock().withZone(context.settings().zone("timeZone", ZoneOffset.UTC)));
		context.retrier().call(() -> {
			try (InputStream body = export(context, new DateRange(today, today), 1)) {
				return body.read();
			}
		});
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		int trailing = context.settings().integer("trailingDays", 2);
		DateRange range = context.dateRange(trailing, 7, context.settings().zone("timeZone", ZoneOffset.UTC));
		if (range.isEmpty()) {
			return;
		}
		Instant receivedAt = context.clock().instant();
		context.retrier().call(() -> {
			try (InputStream body = export(context, range, 0);
					BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
				String line;
				int number = 0;
				while ((line = lines.readLine()) != null) {
					number++;
					if (!line.isBlank()) {
						emit(line, number, context, sink, receivedAt);
					}
				}
			}
			return null;
		});
		sink.page();
		sink.watermark(range.until().toString());
	}

	private void emit(String line, int number, ConnectorContext context, RecordSink sink, Instant receivedAt) {
		JsonNode event;
		try {
			event = context.json().readTree(line);
		}
		catch (JacksonException ex) {
			reject(sink, context, number, "line " + number + " is not JSON", line, receivedAt);
			return;
		}
		String name = event.path("event").asString("");
		JsonNode properties = event.path("properties");
		String distinctId = properties.path("distinct_id").asString("");
		JsonNode time = properties.get("time");
		if (name.isBlank() || distinctId.isBlank() || time == null || !time.isNumber()) {
			reject(sink, context, number, "line " + number + " needs event, properties.distinct_id and properties.time",
					line, receivedAt);
			return;
		}
		long seconds = time.asLong();
		// the export gives seconds; newer projects may give milliseconds
		Instant occurredAt = (seconds > 100_000_000_000L) ? Instant.ofEpochMilli(seconds)
				: Instant.ofEpochSecond(seconds);
		String insertId = properties.path("$insert_id").asString("");
		String messageId = "mp-"
				+ Hashes.sha256(name + '\u0000' + distinctId + '\u0000' + seconds + '\u0000' + insertId);
		String userId = properties.path("$user_id").asString(null);
		String deviceId = properties.path("$device_id").asString(null);
		if (userId == null && !distinctId.startsWith("$device:") && !distinctId.equals(deviceId)) {
			userId = distinctId;
		}
		String anonymousId = (deviceId != null) ? deviceId
				: (userId == null) ? distinctId.replaceFirst("^\\$device:", "") : null;
		Map<String, Object> props = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> property : properties.properties()) {
			if (!RESERVED.contains(property.getKey())) {
				props.put(property.getKey(), context.json().convertValue(property.getValue(), Object.class));
			}
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("event", name);
		payload.put("properties", props);
		sink.event(new EventEnvelope(EventEnvelope.eventIdFor(context.workspaceId(), messageId), EventType.TRACK.id(),
				EventType.TRACK.schemaVersion(), occurredAt, receivedAt, context.workspaceId(), context.connectorId(),
				messageId, new Identity(userId, anonymousId), Map.of("library", Map.of("name", "mixpanel-export")),
				payload));
	}

	private static void reject(RecordSink sink, ConnectorContext context, int number, String reason, String line,
			Instant receivedAt) {
		sink.reject(new RejectedEvent(context.workspaceId(), context.connectorId(), receivedAt, "mixpanel:export",
				number, List.of(reason), (line.length() > 32_768) ? line.substring(0, 32_768) : line));
	}

	private InputStream export(ConnectorContext context, DateRange range, int limit) throws Exception {
		String query = "from_date=" + range.since() + "&to_date=" + range.until()
				+ context.settings().text("projectId").map((id) -> "&project_id=" + id).orElse("")
				+ ((limit > 0) ? "&limit=" + limit : "");
		String user = context.credentials().get("username");
		String basic = (user != null && !user.isBlank()) ? user + ":" + context.credentials().get("secret")
				: context.credentials().get("secret") + ":";
		HttpResponse<InputStream> response = context.http()
			.send(HttpRequest.newBuilder(URI.create(this.mixpanel.baseUrl() + "/api/2.0/export?" + query))
				.timeout(Duration.ofMinutes(10))
				.header("Accept", "text/plain")
				.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		int status = response.statusCode();
		if (status / 100 == 2) {
			return response.body();
		}
		response.body().close();
		if (status == 401 || status == 403) {
			throw new SourceAuthenticationException("Mixpanel refused the credentials (HTTP " + status + ")");
		}
		if (status == 429 || status >= 500) {
			throw new ThrottledException(
					RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), context.clock())
						.map((wait) -> Throttle.retryAfter(wait, "Mixpanel HTTP " + status))
						.orElseGet(() -> Throttle.transientLimit("Mixpanel HTTP " + status + " (60 queries an hour)")));
		}
		throw new IllegalStateException("Mixpanel answered HTTP " + status);
	}

}
