package io.lodestar.gateway.access;

import java.util.UUID;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * A signed-in user opens a new workspace and becomes its admin; a workspace that has
 * members already is theirs to share. The user's next access token (refresh) carries the
 * new role.
 */
@RestController
class WorkspaceController {

	private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

	private final Users users;

	WorkspaceController(Users users) {
		this.users = users;
	}

	@PostMapping("/v1/workspaces")
	Mono<ResponseEntity<CreatedWorkspace>> create(@RequestBody CreateWorkspaceRequest request,
			ServerWebExchange exchange) {
		Caller caller = Caller.of(exchange);
		if (caller.kind() != Caller.Kind.USER) {
			return Mono.error(GatewayProblem.forbidden("only users open workspaces"));
		}
		if (request.id() == null || !WORKSPACE_ID.matcher(request.id()).matches()) {
			return Mono.error(GatewayProblem
				.badRequest("id must be 1–64 letters, digits, _ or -, starting with a letter or digit"));
		}
		return Blocking.call(() -> {
			if (!this.users.openWorkspace(UUID.fromString(caller.id()), request.id())) {
				throw new GatewayProblem(HttpStatus.CONFLICT, "conflict", "Conflict",
						"this workspace exists; ask one of its admins to add you");
			}
			exchange.getAttributes().put(Caller.WORKSPACE_ATTRIBUTE, request.id());
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new CreatedWorkspace(request.id(), Role.ADMIN.wireName()));
		});
	}

	record CreateWorkspaceRequest(String id) {
	}

	record CreatedWorkspace(String id, String role) {
	}

}
