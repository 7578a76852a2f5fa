package io.lodestar.gateway.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * Password login: a short-lived access token (JWS) and a single-use refresh token;
 * refreshing re-reads the user's roles, so role changes reach the token then.
 */
@RestController
@RequestMapping("/v1/auth")
class AuthController {

	static final int MIN_PASSWORD_LENGTH = 12;

	private final Users users;

	private final AccessTokens tokens;

	private final RefreshTokens refreshTokens;

	AuthController(Users users, AccessTokens tokens, RefreshTokens refreshTokens) {
		this.users = users;
		this.tokens = tokens;
		this.refreshTokens = refreshTokens;
	}

	@PostMapping("/login")
	Mono<Session> login(@RequestBody LoginRequest request, ServerWebExchange exchange) {
		if (request.username() == null || request.password() == null) {
			return Mono.error(GatewayProblem.badRequest("send username and password"));
		}
		return Blocking.call(() -> this.users.authenticate(request.username(), request.password()))
			.flatMap((user) -> user.map((id) -> Blocking.call(() -> {
				exchange.getAttributes().put(Caller.ATTRIBUTE, Caller.user(id.toString(), Map.of()));
				return session(id, this.refreshTokens.issue(id));
			})).orElseGet(() -> Mono.error(GatewayProblem.unauthorized("the username or the password is wrong"))));
	}

	@PostMapping("/refresh")
	Mono<Session> refresh(@RequestBody RefreshRequest request) {
		if (request.refreshToken() == null) {
			return Mono.error(GatewayProblem.badRequest("send refreshToken"));
		}
		return Blocking.call(() -> {
			Optional<RefreshTokens.Rotated> rotated = this.refreshTokens.rotate(request.refreshToken());
			if (rotated.isEmpty() || !this.users.enabled(rotated.get().userId())) {
				throw GatewayProblem.unauthorized("the refresh token is unknown, expired or revoked; log in again");
			}
			return session(rotated.get().userId(), rotated.get().token());
		});
	}

	@PostMapping("/logout")
	Mono<ResponseEntity<Void>> logout(@RequestBody RefreshRequest request) {
		if (request.refreshToken() == null) {
			return Mono.error(GatewayProblem.badRequest("send refreshToken"));
		}
		return Blocking.call(() -> {
			this.refreshTokens.revoke(request.refreshToken());
			return ResponseEntity.noContent().build();
		});
	}

	@GetMapping("/me")
	Mono<Me> me(ServerWebExchange exchange) {
		Caller caller = Caller.of(exchange);
		if (caller.kind() == Caller.Kind.API_KEY) {
			return Mono.just(new Me(caller.id(), null, "api-key", List.of(new Membership(caller.keyWorkspace(), null,
					caller.keyPermissions().stream().map(Permission::wireName).sorted().toList()))));
		}
		UUID id = UUID.fromString(caller.id());
		return Blocking.call(() -> new Me(caller.id(), this.users.username(id).orElse(null), "user",
				memberships(this.users.roles(id))));
	}

	@PutMapping("/password")
	Mono<ResponseEntity<Void>> changePassword(@RequestBody ChangePasswordRequest request, ServerWebExchange exchange) {
		Caller caller = Caller.of(exchange);
		if (caller.kind() != Caller.Kind.USER) {
			return Mono.error(GatewayProblem.forbidden("API keys have no password"));
		}
		if (request.currentPassword() == null || request.newPassword() == null) {
			return Mono.error(GatewayProblem.badRequest("send currentPassword and newPassword"));
		}
		if (request.newPassword().length() < MIN_PASSWORD_LENGTH) {
			return Mono.error(
					GatewayProblem.badRequest("newPassword must have at least " + MIN_PASSWORD_LENGTH + " characters"));
		}
		UUID id = UUID.fromString(caller.id());
		return Blocking.call(() -> {
			if (!this.users.checkPassword(id, request.currentPassword())) {
				throw GatewayProblem.forbidden("currentPassword is wrong");
			}
			this.users.changePassword(id, request.newPassword());
			this.refreshTokens.revokeAll(id);
			return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
		});
	}

	/** A new session of a user who signed in some other way (single sign-on). */
	Session newSession(UUID userId) {
		return session(userId, this.refreshTokens.issue(userId));
	}

	private Session session(UUID userId, String refreshToken) {
		Map<String, Role> roles = this.users.roles(userId);
		AccessTokens.IssuedToken access = this.tokens.issue(userId, roles);
		return new Session(access.token(), "Bearer", access.expiresInSeconds(), refreshToken,
				new Me(userId.toString(), this.users.username(userId).orElse(null), "user", memberships(roles)));
	}

	private static List<Membership> memberships(Map<String, Role> roles) {
		return roles.entrySet()
			.stream()
			.map((entry) -> new Membership(entry.getKey(), entry.getValue().wireName(),
					entry.getValue().permissions().stream().map(Permission::wireName).sorted().toList()))
			.toList();
	}

	record LoginRequest(String username, String password) {
	}

	record RefreshRequest(String refreshToken) {
	}

	record ChangePasswordRequest(String currentPassword, String newPassword) {
	}

	record Session(String accessToken, String tokenType, long expiresIn, String refreshToken, Me user) {
	}

	record Me(String id, String username, String kind, List<Membership> workspaces) {
	}

	record Membership(String workspace, String role, List<String> permissions) {
	}

}
