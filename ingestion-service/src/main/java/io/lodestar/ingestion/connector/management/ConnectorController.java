package io.lodestar.ingestion.connector.management;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.lodestar.ingestion.connector.management.ConnectorRequests.CreateConnectorRequest;
import io.lodestar.ingestion.connector.management.ConnectorRequests.PauseConnectorRequest;
import io.lodestar.ingestion.connector.management.ConnectorRequests.UpdateConnectorRequest;
import io.lodestar.ingestion.connector.management.ConnectorResponses.ConnectionCheckResponse;
import io.lodestar.ingestion.connector.management.ConnectorResponses.ConnectorResponse;
import io.lodestar.ingestion.connector.management.ConnectorResponses.Page;
import io.lodestar.ingestion.connector.management.ConnectorResponses.RunResponse;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/connectors}: the caller's workspace's connectors and their runs. The gateway
 * routes it with {@code connectors:read} for GET and {@code connectors:manage} for the
 * rest.
 */
@RestController
@RequestMapping("/v1/connectors")
class ConnectorController {

	private final ConnectorService connectors;

	private final ConnectorKinds kinds;

	ConnectorController(ConnectorService connectors, ConnectorKinds kinds) {
		this.connectors = connectors;
		this.kinds = kinds;
	}

	@GetMapping("/kinds")
	List<String> kinds() {
		return this.kinds.names();
	}

	@PostMapping
	ResponseEntity<ConnectorResponse> create(Workspace workspace, @RequestBody CreateConnectorRequest request) {
		ConnectorResponse created = this.connectors.create(workspace.id(), request);
		return ResponseEntity.created(URI.create("/v1/connectors/" + created.id())).body(created);
	}

	@GetMapping
	Page<ConnectorResponse> list(Workspace workspace, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(defaultValue = "0") int offset) {
		checkPage(limit, offset);
		return this.connectors.list(workspace.id(), limit, offset);
	}

	@GetMapping("/{id}")
	ConnectorResponse get(Workspace workspace, @PathVariable UUID id) {
		return this.connectors.get(workspace.id(), id);
	}

	@PatchMapping("/{id}")
	ConnectorResponse update(Workspace workspace, @PathVariable UUID id, @RequestBody UpdateConnectorRequest request) {
		return this.connectors.update(workspace.id(), id, request);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(Workspace workspace, @PathVariable UUID id) {
		this.connectors.delete(workspace.id(), id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/test")
	ConnectionCheckResponse test(Workspace workspace, @PathVariable UUID id) {
		return this.connectors.check(workspace.id(), id);
	}

	@PostMapping("/{id}/runs")
	ResponseEntity<RunResponse> trigger(Workspace workspace, @PathVariable UUID id) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(this.connectors.trigger(workspace.id(), id));
	}

	@GetMapping("/{id}/runs")
	Page<RunResponse> runs(Workspace workspace, @PathVariable UUID id, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(defaultValue = "0") int offset) {
		checkPage(limit, offset);
		return this.connectors.runs(workspace.id(), id, limit, offset);
	}

	@PostMapping("/{id}/pause")
	ConnectorResponse pause(Workspace workspace, @PathVariable UUID id,
			@RequestBody(required = false) PauseConnectorRequest request) {
		return this.connectors.pause(workspace.id(), id, (request != null) ? request.reason() : null);
	}

	@PostMapping("/{id}/resume")
	ConnectorResponse resume(Workspace workspace, @PathVariable UUID id) {
		return this.connectors.resume(workspace.id(), id);
	}

	private static void checkPage(int limit, int offset) {
		if (limit < 1 || limit > 500) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "'limit' must be 1 to 500");
		}
		if (offset < 0) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "'offset' must not be negative");
		}
	}

	/** An unreadable body of this API is a 400 of a stable type. */
	@RestControllerAdvice(assignableTypes = ConnectorController.class)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static class Errors {

		@ExceptionHandler(HttpMessageNotReadableException.class)
		ProblemDetail unreadable(HttpMessageNotReadableException ex) {
			return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
					"the body must be a JSON object of the documented fields");
		}

	}

}
