package io.lodestar.ingestion.connector.management;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.management.ConnectorRequests.CreateConnectorRequest;
import io.lodestar.ingestion.connector.management.ConnectorRequests.UpdateConnectorRequest;
import io.lodestar.ingestion.connector.management.ConnectorResponses.ConnectionCheckResponse;
import io.lodestar.ingestion.connector.management.ConnectorResponses.ConnectorResponse;
import io.lodestar.ingestion.connector.management.ConnectorResponses.Page;
import io.lodestar.ingestion.connector.management.ConnectorResponses.RunResponse;
import io.lodestar.ingestion.connector.ratelimit.Retrier;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;
import io.lodestar.web.Problems;

/**
 * Connector instances of a workspace: create, change, pause, resume, delete, check a
 * connection, queue a run, read the run history. Credentials go in sealed and never come
 * out.
 */
@Service
class ConnectorService {

	static final String DEFAULT_SCHEDULE = "0 3 * * *";

	private static final Logger log = LoggerFactory.getLogger(ConnectorService.class);

	private final ConnectorStore store;

	private final ConnectorKinds kinds;

	private final SealedCredentials sealed;

	private final ConnectorScheduler scheduler;

	private final JsonMapper json;

	private final Clock clock;

	private final Sleeper sleeper;

	private final HttpClient http;

	private final ConnectorProperties properties;

	ConnectorService(ConnectorStore store, ConnectorKinds kinds, SealedCredentials sealed, ConnectorScheduler scheduler,
			JsonMapper json, Clock clock, Sleeper sleeper, HttpClient http, ConnectorProperties properties) {
		this.store = store;
		this.kinds = kinds;
		this.sealed = sealed;
		this.scheduler = scheduler;
		this.json = json;
		this.clock = clock;
		this.sleeper = sleeper;
		this.http = http;
		this.properties = properties;
	}

	ConnectorResponse create(String workspaceId, CreateConnectorRequest request) {
		FieldErrors errors = new FieldErrors();
		Optional<SourceConnector> kind = Optional.empty();
		if (request.kind() == null || request.kind().isBlank()) {
			errors.add("kind", "is required, one of " + this.kinds.names());
		}
		else {
			kind = this.kinds.find(request.kind());
			if (kind.isEmpty()) {
				errors.add("kind", "must be one of " + this.kinds.names());
			}
		}
		String name = checkName(request.name(), errors);
		String schedule = checkSchedule((request.schedule() != null) ? request.schedule() : DEFAULT_SCHEDULE, errors);
		ObjectNode settings = settings(request.settings(), errors);
		Map<String, String> secrets = credentials(request.credentials(), errors, new LinkedHashMap<>());
		if (kind.isPresent() && settings != null && secrets != null) {
			kind.get().validate(new ConnectorSettings(settings), new Credentials(secrets), errors);
		}
		throwIfAny(errors);
		UUID id = UUID.randomUUID();
		if (this.store.nameTaken(workspaceId, name, id)) {
			throw nameTaken(name);
		}
		Instant now = this.clock.instant();
		ConnectorRow row = new ConnectorRow(id, workspaceId, request.kind(), name,
				this.sealed.seal(id, new Credentials(secrets)), this.json.writeValueAsString(settings), schedule,
				ConnectorRow.ACTIVE, null, null, null, Schedules.next(schedule, now), now, now);
		try {
			this.store.insert(row);
		}
		catch (org.springframework.dao.DuplicateKeyException ex) {
			throw nameTaken(name);
		}
		log.info("Connector {} ({}) created in workspace {}", id, row.kind(), workspaceId);
		return response(row);
	}

	ConnectorResponse update(String workspaceId, UUID id, UpdateConnectorRequest request) {
		ConnectorRow current = existing(workspaceId, id);
		FieldErrors errors = new FieldErrors();
		String name = (request.name() != null) ? checkName(request.name(), errors) : current.name();
		String schedule = (request.schedule() != null) ? checkSchedule(request.schedule(), errors) : current.schedule();
		ObjectNode settings = (request.settings() != null) ? settings(request.settings(), errors)
				: (ObjectNode) this.json.readTree(current.settingsJson());
		Map<String, String> secrets = new LinkedHashMap<>(
				this.sealed.open(current.id(), current.credentials()).values());
		if (request.credentials() != null) {
			secrets = credentials(request.credentials(), errors, secrets);
		}
		SourceConnector kind = this.kinds.find(current.kind())
			.orElseThrow(() -> new IllegalStateException("no connector kind " + current.kind()));
		if (settings != null && secrets != null) {
			kind.validate(new ConnectorSettings(settings), new Credentials(secrets), errors);
		}
		throwIfAny(errors);
		if (this.store.nameTaken(workspaceId, name, id)) {
			throw nameTaken(name);
		}
		Instant now = this.clock.instant();
		Instant nextRunAt = ConnectorRow.ACTIVE.equals(current.status())
				? (schedule.equals(current.schedule()) ? current.nextRunAt() : Schedules.next(schedule, now))
				: current.nextRunAt();
		ConnectorRow changed = new ConnectorRow(id, workspaceId, current.kind(), name,
				this.sealed.seal(id, new Credentials(secrets)), this.json.writeValueAsString(settings), schedule,
				current.status(), current.pausedReason(), current.pausedUntil(), current.watermark(), nextRunAt,
				current.createdAt(), now);
		try {
			this.store.update(changed);
		}
		catch (org.springframework.dao.DuplicateKeyException ex) {
			throw nameTaken(name);
		}
		log.info("Connector {} updated in workspace {}", id, workspaceId);
		return response(existing(workspaceId, id));
	}

	ConnectorResponse get(String workspaceId, UUID id) {
		return response(existing(workspaceId, id));
	}

	Page<ConnectorResponse> list(String workspaceId, int limit, int offset) {
		List<ConnectorResponse> items = this.store.list(workspaceId, limit, offset)
			.stream()
			.map(this::response)
			.toList();
		return new Page<>(items, this.store.count(workspaceId), limit, offset);
	}

	void delete(String workspaceId, UUID id) {
		if (!this.store.delete(workspaceId, id)) {
			throw notFound(id);
		}
		log.info("Connector {} deleted in workspace {}", id, workspaceId);
	}

	ConnectorResponse pause(String workspaceId, UUID id, String reason) {
		existing(workspaceId, id);
		String why = (reason == null || reason.isBlank()) ? "paused by a user"
				: reason.substring(0, Math.min(reason.length(), 500));
		this.store.setStatus(workspaceId, id, ConnectorRow.PAUSED, why, null, null, this.clock.instant());
		log.info("Connector {} paused in workspace {}", id, workspaceId);
		return response(existing(workspaceId, id));
	}

	ConnectorResponse resume(String workspaceId, UUID id) {
		ConnectorRow current = existing(workspaceId, id);
		Instant now = this.clock.instant();
		this.store.setStatus(workspaceId, id, ConnectorRow.ACTIVE, null, null, Schedules.next(current.schedule(), now),
				now);
		log.info("Connector {} resumed in workspace {}", id, workspaceId);
		this.scheduler.wakeUp();
		return response(existing(workspaceId, id));
	}

	RunResponse trigger(String workspaceId, UUID id) {
		ConnectorRow current = existing(workspaceId, id);
		if (!ConnectorRow.ACTIVE.equals(current.status())) {
			throw new ErrorResponseException(HttpStatus.CONFLICT,
					Problems.of(HttpStatus.CONFLICT, "connector-paused", "Connector paused",
							"connector " + id + " is paused (" + current.pausedReason() + "); resume it first"),
					null);
		}
		RunRow queued = this.store.queue(current, this.clock.instant());
		log.info("Run {} of connector {} queued in workspace {}", queued.id(), id, workspaceId);
		this.scheduler.wakeUp();
		return RunResponse.of(queued);
	}

	Page<RunResponse> runs(String workspaceId, UUID id, int limit, int offset) {
		existing(workspaceId, id);
		List<RunResponse> items = this.store.runs(workspaceId, id, limit, offset)
			.stream()
			.map(RunResponse::of)
			.toList();
		return new Page<>(items, this.store.countRuns(workspaceId, id), limit, offset);
	}

	ConnectionCheckResponse check(String workspaceId, UUID id) {
		ConnectorRow row = existing(workspaceId, id);
		Credentials secrets = this.sealed.open(row.id(), row.credentials());
		try {
			SourceConnector kind = this.kinds.find(row.kind())
				.orElseThrow(() -> new IllegalStateException("no connector kind " + row.kind()));
			ConnectorContext context = new ConnectorContext(workspaceId, id.toString(),
					new ConnectorSettings((ObjectNode) this.json.readTree(row.settingsJson())), secrets,
					Optional.ofNullable(row.watermark()), this.clock, this.http, this.json,
					new Retrier(2, this.properties.retry().base(), this.properties.retry().max(), this.sleeper,
							ThreadLocalRandom.current()),
					(key, etag) -> this.store.isProcessed(row.id(), key, etag));
			kind.check(context);
			return new ConnectionCheckResponse(true, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ConnectionCheckResponse(false, "interrupted");
		}
		catch (Exception ex) {
			log.info("Connection check of connector {} in workspace {} failed: {}", id, workspaceId,
					secrets.scrub(ConnectorRunner.describe(ex)));
			return new ConnectionCheckResponse(false, secrets.scrub(ConnectorRunner.describe(ex)));
		}
	}

	private ConnectorResponse response(ConnectorRow row) {
		List<String> names = List
			.copyOf(new TreeSet<>(this.sealed.open(row.id(), row.credentials()).values().keySet()));
		RunResponse lastRun = this.store.lastRun(row.id()).map(RunResponse::of).orElse(null);
		return new ConnectorResponse(row.id(), row.kind(), row.name(), row.schedule(), row.status(), row.pausedReason(),
				row.pausedUntil(), this.json.readTree(row.settingsJson()), names, row.watermark(), row.nextRunAt(),
				lastRun, row.createdAt(), row.updatedAt());
	}

	private ConnectorRow existing(String workspaceId, UUID id) {
		return this.store.find(workspaceId, id).orElseThrow(() -> notFound(id));
	}

	private static String checkName(String name, FieldErrors errors) {
		if (name == null || name.isBlank()) {
			errors.add("name", "is required");
			return null;
		}
		if (name.trim().length() > 200) {
			errors.add("name", "must be at most 200 characters");
		}
		return name.trim();
	}

	private static String checkSchedule(String schedule, FieldErrors errors) {
		if (Schedules.parse(schedule).isEmpty()) {
			errors.add("schedule",
					"must be a cron expression (five fields, UTC, e.g. '0 3 * * *') or a macro such as '@daily'");
			return null;
		}
		return schedule.trim();
	}

	private static ObjectNode settings(JsonNode settings, FieldErrors errors) {
		if (settings == null || settings.isNull()) {
			return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
		}
		if (!settings.isObject()) {
			errors.add("settings", "must be an object");
			return null;
		}
		return (ObjectNode) settings;
	}

	private static Map<String, String> credentials(JsonNode credentials, FieldErrors errors, Map<String, String> into) {
		if (credentials == null || credentials.isNull()) {
			return into;
		}
		if (!credentials.isObject()) {
			errors.add("credentials", "must be an object of texts");
			return null;
		}
		boolean ok = true;
		for (Map.Entry<String, JsonNode> entry : credentials.properties()) {
			JsonNode value = entry.getValue();
			if (value.isNull()) {
				into.remove(entry.getKey());
			}
			else if (value.isString()) {
				into.put(entry.getKey(), value.stringValue());
			}
			else {
				errors.add("credentials." + entry.getKey(), "must be a text");
				ok = false;
			}
		}
		return ok ? into : null;
	}

	private static void throwIfAny(FieldErrors errors) {
		if (!errors.isEmpty()) {
			ErrorResponseException ex = new ErrorResponseException(HttpStatus.BAD_REQUEST,
					Problems.of(HttpStatus.BAD_REQUEST, "invalid-connector", "Invalid connector",
							errors.asList().size() + " field(s) are invalid"),
					null);
			ex.getBody().setProperty("errors", errors.asList());
			throw ex;
		}
	}

	private static ErrorResponseException notFound(UUID id) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "connector-not-found",
				"Connector not found", "this workspace has no connector " + id), null);
	}

	private static ErrorResponseException nameTaken(String name) {
		return new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "connector-name-taken",
				"Connector name taken", "this workspace already has a connector named '" + name + "'"), null);
	}

}
