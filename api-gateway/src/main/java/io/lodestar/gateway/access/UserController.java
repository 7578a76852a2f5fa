package io.lodestar.gateway.access;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * The members of the caller's workspace: add a new or an existing user with a role,
 * change a role, remove a member. A workspace always keeps one admin.
 */
@RestController
@RequestMapping("/v1/users")
class UserController {

	private final Users users;

	UserController(Users users) {
		this.users = users;
	}

	@GetMapping
	Mono<List<Users.Member>> list(ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		return Blocking.call(() -> this.users.members(workspace));
	}

	/**
	 * Adds a member. A new user gets the given password or, without one, a generated
	 * password returned in this response only.
	 */
	@PostMapping
	Mono<ResponseEntity<AddedMember>> add(@RequestBody AddMemberRequest request, ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		Role role = role(request.role());
		if (request.username() == null || !request.username().trim().matches("(?i)[a-z0-9][a-z0-9._@-]{1,63}")) {
			return Mono.error(GatewayProblem
				.badRequest("username must be 2–64 letters, digits or . _ @ -, starting with a letter or digit"));
		}
		if (request.password() != null && request.password().length() < AuthController.MIN_PASSWORD_LENGTH) {
			return Mono.error(GatewayProblem
				.badRequest("password must have at least " + AuthController.MIN_PASSWORD_LENGTH + " characters"));
		}
		return Blocking.call(() -> {
			var existing = this.users.idOf(request.username());
			if (existing.isPresent()) {
				if (request.password() != null) {
					throw new GatewayProblem(HttpStatus.CONFLICT, "conflict", "Conflict",
							"this user exists and keeps their password; add them without one");
				}
				if (this.users.roleIn(existing.get(), workspace).isPresent()) {
					throw new GatewayProblem(HttpStatus.CONFLICT, "conflict", "Conflict",
							"this user is a member already; change their role instead");
				}
				this.users.grant(existing.get(), workspace, role);
				return ResponseEntity.status(HttpStatus.CREATED)
					.body(new AddedMember(existing.get(), Users.normalise(request.username()), role.wireName(), null));
			}
			String password = (request.password() != null) ? request.password() : Secrets.random("").substring(0, 20);
			UUID id = this.users.createMember(request.username(), password, workspace, role)
				.orElseThrow(() -> new GatewayProblem(HttpStatus.CONFLICT, "conflict", "Conflict",
						"this username was taken meanwhile"));
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new AddedMember(id, Users.normalise(request.username()), role.wireName(),
						(request.password() == null) ? password : null));
		});
	}

	@PutMapping("/{userId}")
	Mono<ResponseEntity<Void>> changeRole(@PathVariable UUID userId, @RequestBody ChangeRoleRequest request,
			ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		Role role = role(request.role());
		return Blocking.call(() -> {
			var current = this.users.roleIn(userId, workspace)
				.orElseThrow(() -> GatewayProblem.notFound("no such member in this workspace"));
			if (current == Role.ADMIN && role != Role.ADMIN) {
				keepOneAdmin(workspace);
			}
			this.users.changeRole(userId, workspace, role);
			return ResponseEntity.noContent().build();
		});
	}

	@DeleteMapping("/{userId}")
	Mono<ResponseEntity<Void>> remove(@PathVariable UUID userId, ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		return Blocking.call(() -> {
			var current = this.users.roleIn(userId, workspace)
				.orElseThrow(() -> GatewayProblem.notFound("no such member in this workspace"));
			if (current == Role.ADMIN) {
				keepOneAdmin(workspace);
			}
			this.users.revoke(userId, workspace);
			return ResponseEntity.noContent().build();
		});
	}

	private void keepOneAdmin(String workspace) {
		if (this.users.admins(workspace) <= 1) {
			throw new GatewayProblem(HttpStatus.CONFLICT, "conflict", "Conflict",
					"this is the workspace's last admin; make another member admin first");
		}
	}

	private static Role role(String name) {
		return Role.fromWireName((name != null) ? name : "")
			.orElseThrow(() -> GatewayProblem.badRequest("role must be one of admin, marketer, analyst, viewer"));
	}

	record AddMemberRequest(String username, String role, String password) {
	}

	record ChangeRoleRequest(String role) {
	}

	record AddedMember(UUID id, String username, String role, String initialPassword) {
	}

}
