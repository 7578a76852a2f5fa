package io.lodestar.gateway.access;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * Who is calling: a user (with a role per workspace, from the access token) or an API key
 * (one workspace, a set of permissions).
 *
 * @param kind user or API key
 * @param id the user's or the key's id
 * @param roles a user's roles by workspace; empty for a key
 * @param keyWorkspace a key's workspace; null for a user
 * @param keyPermissions a key's permissions; empty for a user
 */
public record Caller(Kind kind, String id, Map<String, Role> roles, String keyWorkspace,
		Set<Permission> keyPermissions) {

	/** The exchange attribute holding the authenticated caller. */
	public static final String ATTRIBUTE = Caller.class.getName();

	/** The exchange attribute holding the workspace the request acts in, once checked. */
	public static final String WORKSPACE_ATTRIBUTE = Caller.class.getName() + ".workspace";

	public enum Kind {

		USER, API_KEY

	}

	public Caller {
		roles = Map.copyOf(roles);
		keyPermissions = keyPermissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(keyPermissions));
	}

	public static Caller user(String userId, Map<String, Role> roles) {
		return new Caller(Kind.USER, userId, roles, null, Set.of());
	}

	public static Caller apiKey(String keyId, String workspace, Set<Permission> permissions) {
		return new Caller(Kind.API_KEY, keyId, Map.of(), workspace, permissions);
	}

	/**
	 * @return how the audit log and the services name this caller: {@code user:<id>} or
	 * {@code key:<id>} — an id, never a name
	 */
	public String actor() {
		return ((this.kind == Kind.USER) ? "user:" : "key:") + this.id;
	}

	/**
	 * @param workspace a workspace
	 * @return what this caller may do there (nothing where it has no role)
	 */
	public Set<Permission> permissionsIn(String workspace) {
		if (this.kind == Kind.API_KEY) {
			return this.keyWorkspace.equals(workspace) ? this.keyPermissions : Set.of();
		}
		Role role = this.roles.get(workspace);
		return (role != null) ? role.permissions() : Set.of();
	}

	/**
	 * @return the workspace a request acts in when it names none: a key's own, or a
	 * user's only one
	 */
	public Optional<String> defaultWorkspace() {
		if (this.kind == Kind.API_KEY) {
			return Optional.of(this.keyWorkspace);
		}
		return (this.roles.size() == 1) ? Optional.of(this.roles.keySet().iterator().next()) : Optional.empty();
	}

	/**
	 * @param exchange a request that passed the access filter
	 * @return its caller
	 */
	public static Caller of(ServerWebExchange exchange) {
		Caller caller = exchange.getAttribute(ATTRIBUTE);
		if (caller == null) {
			throw GatewayProblem.unauthorized("this request carries no credentials");
		}
		return caller;
	}

	/**
	 * @param exchange a request that passed the access filter
	 * @return the workspace it acts in
	 */
	public static String workspaceOf(ServerWebExchange exchange) {
		String workspace = exchange.getAttribute(WORKSPACE_ATTRIBUTE);
		if (workspace == null) {
			throw GatewayProblem.badRequest("name the workspace in the X-Lodestar-Workspace header");
		}
		return workspace;
	}

}
