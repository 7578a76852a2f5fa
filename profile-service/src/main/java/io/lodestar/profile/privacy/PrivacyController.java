package io.lodestar.profile.privacy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.contracts.identity.LookupParameter;
import io.lodestar.profile.lookup.ProfileService;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/privacy}: make access and erasure requests, follow them, download an access
 * export, read the audit trail.
 */
@RestController
@RequestMapping("/v1/privacy")
class PrivacyController {

	private final PrivacyRequests requests;

	private final ProfileService profiles;

	PrivacyController(PrivacyRequests requests, ProfileService profiles) {
		this.requests = requests;
		this.profiles = profiles;
	}

	@PostMapping("/requests")
	ResponseEntity<PrivacyRequestView> create(Workspace workspace, @RequestBody PrivacyRequestBody body) {
		if (!"access".equals(body.kind()) && !"erasure".equals(body.kind())) {
			throw invalid("/kind", "kind is access or erasure");
		}
		UUID profileId = subject(workspace, body.subject());
		PrivacyRequestView created = this.requests.create(workspace.id(), body.kind(), profileId);
		this.requests.audit(workspace.id(), created.requestId(), body.kind() + ".requested", Map.of());
		return ResponseEntity.accepted()
			.location(URI.create("/v1/privacy/requests/" + created.requestId()))
			.body(created);
	}

	@GetMapping("/requests")
	List<PrivacyRequestView> recent(Workspace workspace, @RequestParam(defaultValue = "50") int limit) {
		return this.requests.recent(workspace.id(), limit(limit));
	}

	@GetMapping("/requests/{requestId}")
	PrivacyRequestView get(Workspace workspace, @PathVariable UUID requestId) {
		return this.requests.find(workspace.id(), requestId).orElseThrow(() -> notFound(requestId));
	}

	@GetMapping(path = "/requests/{requestId}/export", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> export(Workspace workspace, @PathVariable UUID requestId) {
		PrivacyRequestView request = get(workspace, requestId);
		if (!"access".equals(request.kind())) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND,
					Problems.of(HttpStatus.NOT_FOUND, "no-export", "No export", "only access requests have an export"),
					null);
		}
		if (!"completed".equals(request.status())) {
			throw new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "export-not-ready",
					"Export not ready", "the request is " + request.status()), null);
		}
		String document = this.requests.export(workspace.id(), requestId)
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.GONE, Problems.of(HttpStatus.GONE,
					"export-expired", "Export expired", "the export was deleted when its retention ended"), null));
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"access-" + requestId + ".json\"")
			.body(document);
	}

	@GetMapping("/audit")
	List<Map<String, Object>> audit(Workspace workspace, @RequestParam(defaultValue = "50") int limit) {
		return this.requests.auditTrail(workspace.id(), limit(limit));
	}

	private UUID subject(Workspace workspace, Map<String, String> subject) {
		if (subject == null || subject.size() != 1) {
			throw invalid("/subject",
					"give exactly one of profileId, userId, anonymousId, email, phone, deviceId, " + "customerId");
		}
		Map.Entry<String, String> given = subject.entrySet().iterator().next();
		String pointer = "/subject/" + given.getKey();
		if (given.getValue() == null || given.getValue().isBlank()) {
			throw invalid(pointer, "a value is required");
		}
		if ("profileId".equals(given.getKey())) {
			UUID id;
			try {
				id = UUID.fromString(given.getValue());
			}
			catch (IllegalArgumentException ex) {
				throw invalid(pointer, "profileId is a UUID");
			}
			return this.profiles.resolve(workspace, id).orElseThrow(() -> subjectNotFound());
		}
		for (LookupParameter parameter : LookupParameter.values()) {
			if (parameter.parameter().equals(given.getKey())) {
				String stored = parameter.storedValue(given.getValue())
					.orElseThrow(() -> invalid(pointer, "not a usable identifier"));
				return this.profiles.byIdentifier(workspace, parameter.kind(), stored)
					.map((profile) -> profile.profileId())
					.orElseThrow(() -> subjectNotFound());
			}
		}
		throw invalid(pointer, "unknown identifier kind");
	}

	private static int limit(int limit) {
		if (limit < 1 || limit > 200) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-200");
		}
		return limit;
	}

	private static ErrorResponseException subjectNotFound() {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "profile-not-found",
				"Profile not found", "no profile matches the subject"), null);
	}

	private static ErrorResponseException notFound(UUID requestId) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
				"privacy-request-not-found", "Privacy request not found", "request " + requestId), null);
	}

	private static BadRequestException invalid(String pointer, String reason) {
		BadRequestException exception = new BadRequestException("invalid-privacy-request", "Invalid privacy request",
				reason);
		exception.getBody().setProperty("pointer", pointer);
		return exception;
	}

}
