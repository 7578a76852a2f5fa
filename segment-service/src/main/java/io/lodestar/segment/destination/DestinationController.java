package io.lodestar.segment.destination;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/segments/{segmentId}/destinations}: webhook destinations of a segment —
 * create (the signing secret is shown once), list, pause and resume, delete, and each
 * one's delivery log.
 */
@RestController
@RequestMapping("/v1/segments/{segmentId}/destinations")
class DestinationController {

	private final Destinations destinations;

	private final WebhookTargets targets;

	DestinationController(Destinations destinations, WebhookTargets targets) {
		this.destinations = destinations;
		this.targets = targets;
	}

	@PostMapping
	ResponseEntity<Destinations.Created> create(Workspace workspace, @PathVariable UUID segmentId,
			@RequestBody CreateDestinationRequest request) {
		segment(workspace, segmentId);
		if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
			throw new BadRequestException("invalid-destination", "Invalid destination",
					"name is required, at most 200 characters");
		}
		int batchSize = (request.batchSize() != null) ? request.batchSize() : 100;
		if (batchSize < 1 || batchSize > 1000) {
			throw new BadRequestException("invalid-destination", "Invalid destination",
					"batchSize must be between 1 and 1000");
		}
		URI url = this.targets.check(request.url());
		Destinations.Created created = this.destinations.create(workspace.id(), segmentId, request.name().trim(),
				url.toString(), batchSize);
		return ResponseEntity
			.created(URI.create("/v1/segments/" + segmentId + "/destinations/" + created.destination().destinationId()))
			.body(created);
	}

	@GetMapping
	List<Destinations.Destination> list(Workspace workspace, @PathVariable UUID segmentId) {
		segment(workspace, segmentId);
		return this.destinations.list(workspace.id(), segmentId);
	}

	@GetMapping("/{destinationId}")
	Destinations.Destination get(Workspace workspace, @PathVariable UUID segmentId, @PathVariable UUID destinationId) {
		return this.destinations.find(workspace.id(), segmentId, destinationId)
			.orElseThrow(DestinationController::notFound);
	}

	/**
	 * Pauses ({@code "enabled": false}) or resumes a destination; paused, it keeps
	 * queueing.
	 */
	@PatchMapping("/{destinationId}")
	Destinations.Destination update(Workspace workspace, @PathVariable UUID segmentId, @PathVariable UUID destinationId,
			@RequestBody UpdateDestinationRequest request) {
		if (request.enabled() == null) {
			throw new BadRequestException("invalid-destination", "Invalid destination", "send enabled: true or false");
		}
		if (!this.destinations.setEnabled(workspace.id(), segmentId, destinationId, request.enabled())) {
			throw notFound();
		}
		return get(workspace, segmentId, destinationId);
	}

	@DeleteMapping("/{destinationId}")
	ResponseEntity<Void> delete(Workspace workspace, @PathVariable UUID segmentId, @PathVariable UUID destinationId) {
		if (!this.destinations.delete(workspace.id(), segmentId, destinationId)) {
			throw notFound();
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{destinationId}/deliveries")
	List<Destinations.Delivery> deliveries(Workspace workspace, @PathVariable UUID segmentId,
			@PathVariable UUID destinationId, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 500) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-500");
		}
		get(workspace, segmentId, destinationId);
		return this.destinations.deliveries(destinationId, limit);
	}

	private void segment(Workspace workspace, UUID segmentId) {
		if (!this.destinations.segmentExists(workspace.id(), segmentId)) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
					"segment-not-found", "Segment not found", "this workspace has no segment " + segmentId), null);
		}
	}

	private static ErrorResponseException notFound() {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
				"destination-not-found", "Destination not found", "this segment has no such destination"), null);
	}

	/**
	 * @param name what the destination is called
	 * @param url the endpoint (https)
	 * @param batchSize changes per request, 1-1000 (default 100)
	 */
	record CreateDestinationRequest(String name, String url, Integer batchSize) {
	}

	record UpdateDestinationRequest(Boolean enabled) {
	}

}
