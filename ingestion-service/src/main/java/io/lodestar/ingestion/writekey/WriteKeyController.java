package io.lodestar.ingestion.writekey;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * Write-key management: create (the key is shown once), list, revoke. The gateway serves
 * it to workspace admins as {@code /v1/write-keys}, rewritten to the caller's checked
 * workspace; this internal path is not routed as such. The path's workspace must be the
 * request's {@link Workspace} — under a service secret, the one the gateway signed for —
 * so a caller who reaches the port directly cannot manage another workspace's keys.
 */
@RestController
@RequestMapping("/internal/v1/workspaces/{workspaceId}/write-keys")
class WriteKeyController {

	private static final String ID = "[A-Za-z0-9_.-]{1,64}";

	private final WriteKeyService keys;

	WriteKeyController(WriteKeyService keys) {
		this.keys = keys;
	}

	@PostMapping
	ResponseEntity<CreatedWriteKey> create(Workspace workspace, @PathVariable @Pattern(regexp = ID) String workspaceId,
			@Valid @RequestBody CreateWriteKeyRequest request) {
		same(workspace, workspaceId);
		CreatedWriteKey created = this.keys.create(workspaceId, request.sourceId());
		return ResponseEntity
			.created(URI.create("/internal/v1/workspaces/" + workspaceId + "/write-keys/" + created.key().keyId()))
			.body(created);
	}

	@GetMapping
	List<WriteKeyDescription> list(Workspace workspace, @PathVariable @Pattern(regexp = ID) String workspaceId) {
		same(workspace, workspaceId);
		return this.keys.list(workspaceId);
	}

	@DeleteMapping("/{keyId}")
	ResponseEntity<Void> revoke(Workspace workspace, @PathVariable @Pattern(regexp = ID) String workspaceId,
			@PathVariable UUID keyId) {
		same(workspace, workspaceId);
		if (!this.keys.revoke(workspaceId, keyId)) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
					"write-key-not-found", "Write key not found", "this workspace has no write key " + keyId), null);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * Another workspace's keys are not there for this caller: 404, as for an unknown id.
	 */
	private static void same(Workspace workspace, String workspaceId) {
		if (!workspace.id().equals(workspaceId)) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND,
					Problems.of(HttpStatus.NOT_FOUND, "workspace-not-found", "Workspace not found",
							"the request's workspace is " + workspace.id() + ", not the one in the path"),
					null);
		}
	}

	/**
	 * @param sourceId the source the key writes for
	 */
	record CreateWriteKeyRequest(@jakarta.validation.constraints.NotNull @Pattern(regexp = ID) String sourceId) {
	}

}
