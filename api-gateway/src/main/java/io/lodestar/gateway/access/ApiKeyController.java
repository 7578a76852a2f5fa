package io.lodestar.gateway.access;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * API keys of the caller's workspace: created with a subset of the creator's permissions,
 * shown once, rotated, revoked.
 */
@RestController
@RequestMapping("/v1/api-keys")
class ApiKeyController {

	private final ApiKeys keys;

	ApiKeyController(ApiKeys keys) {
		this.keys = keys;
	}

	@GetMapping
	Mono<List<ApiKeys.ApiKey>> list(ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		return Blocking.call(() -> this.keys.list(workspace));
	}

	@PostMapping
	Mono<ResponseEntity<CreatedKey>> create(@RequestBody CreateKeyRequest request, ServerWebExchange exchange) {
		Caller caller = Caller.of(exchange);
		String workspace = Caller.workspaceOf(exchange);
		if (request.name() == null || request.name().isBlank() || request.name().length() > 100) {
			return Mono.error(GatewayProblem.badRequest("name is required, at most 100 characters"));
		}
		if (request.permissions() == null || request.permissions().isEmpty()) {
			return Mono.error(GatewayProblem.badRequest("permissions must name at least one permission"));
		}
		Set<Permission> permissions = EnumSet.noneOf(Permission.class);
		List<String> unknown = new ArrayList<>();
		for (String name : request.permissions()) {
			Permission.fromWireName(name).ifPresentOrElse(permissions::add, () -> unknown.add(name));
		}
		if (!unknown.isEmpty()) {
			return Mono.error(GatewayProblem.badRequest("unknown permissions " + unknown));
		}
		if (!caller.permissionsIn(workspace).containsAll(permissions)) {
			return Mono.error(GatewayProblem.forbidden("a key cannot hold permissions its creator lacks"));
		}
		return Blocking.call(() -> {
			ApiKeys.Created created = this.keys.create(workspace, request.name().trim(), permissions, caller.actor());
			return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedKey(created.key(), created.secret()));
		});
	}

	@PostMapping("/{keyId}/rotate")
	Mono<CreatedKey> rotate(@PathVariable UUID keyId, ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		return Blocking.call(() -> this.keys.rotate(workspace, keyId)
			.map((created) -> new CreatedKey(created.key(), created.secret()))
			.orElseThrow(() -> GatewayProblem.notFound("no such live API key in this workspace")));
	}

	@DeleteMapping("/{keyId}")
	Mono<ResponseEntity<Void>> revoke(@PathVariable UUID keyId, ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		return Blocking.call(() -> {
			if (!this.keys.revoke(workspace, keyId)) {
				throw GatewayProblem.notFound("no such live API key in this workspace");
			}
			return ResponseEntity.noContent().build();
		});
	}

	record CreateKeyRequest(String name, List<String> permissions) {
	}

	/**
	 * @param key the key's description
	 * @param secret the key itself, shown in this response only
	 */
	record CreatedKey(ApiKeys.ApiKey key, String secret) {
	}

}
