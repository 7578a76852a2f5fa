package io.lodestar.gateway.access;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.lodestar.gateway.access.AccessRules.Requirement;
import io.lodestar.gateway.routing.CollectorPaths;
import io.lodestar.gateway.system.GatewayProblem;

/**
 * The door: every request is checked here before a route or a gateway endpoint sees it.
 * It authenticates the caller (a user's access token or an API key), settles the
 * workspace the request acts in (the {@value #WORKSPACE} header, or the key's own),
 * checks the path's permission there, applies the caller's rate limit, and forwards the
 * request with the checked workspace and the caller's actor id — never with the caller's
 * credentials. Changes, exports and denials are written to the audit log before the
 * response leaves.
 */
@Component
class AccessFilter implements WebFilter, Ordered {

	static final String WORKSPACE = "X-Lodestar-Workspace";

	static final String ACTOR = "X-Lodestar-Actor";

	static final String API_KEY = "X-Api-Key";

	private static final Logger log = LoggerFactory.getLogger(AccessFilter.class);

	private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

	/**
	 * Dot segments, empty segments, encoded separators or dots, backslashes, parameters.
	 */
	private static final Pattern NON_CANONICAL = Pattern.compile("(?i)//|/\\./|/\\.\\./|/\\.{1,2}$|%2e|%2f|%5c|\\\\|;");

	private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	private final AccessRules rules;

	private final AccessTokens tokens;

	private final ApiKeys apiKeys;

	private final AuditLog audit;

	private final RateLimiter callers;

	private final RateLimiter logins;

	private final ServiceAssertion assertion;

	AccessFilter(AccessTokens tokens, ApiKeys apiKeys, AuditLog audit, ServiceAssertion assertion,
			SecurityProperties properties) {
		this.assertion = assertion;
		this.rules = new AccessRules(CollectorPaths.ALL);
		this.tokens = tokens;
		this.apiKeys = apiKeys;
		this.audit = audit;
		this.callers = new RateLimiter(properties.rateLimit().requestsPerSecond(), properties.rateLimit().burst(),
				System::nanoTime);
		this.logins = new RateLimiter(properties.rateLimit().loginsPerMinute() / 60.0,
				properties.rateLimit().loginsPerMinute(), System::nanoTime);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getPath().pathWithinApplication().value();
		if (audited(request.getMethod(), path)) {
			exchange.getResponse().beforeCommit(() -> record(exchange, path));
		}
		if (NON_CANONICAL.matcher(request.getURI().getRawPath()).find()) {
			return Mono.error(GatewayProblem
				.badRequest("the path must be canonical: no dot or empty segments, encoded separators or parameters"));
		}
		Requirement requirement = this.rules.requirement(request.getMethod(), path);
		if (requirement.kind() == Requirement.Kind.OPEN) {
			if (path.equals("/v1/auth/login") || path.startsWith("/v1/auth/oidc/")) {
				long wait = this.logins.acquire(clientIp(request));
				if (wait > 0) {
					return Mono.error(tooManyRequests(wait, "too many login attempts from this address"));
				}
			}
			HttpHeaders headers = request.getHeaders();
			if (headers.containsHeader(ACTOR) || headers.containsHeader(ServiceAssertion.HEADER)) {
				return chain.filter(exchange.mutate().request(request.mutate().headers((writable) -> {
					writable.remove(ACTOR);
					writable.remove(ServiceAssertion.HEADER);
				}).build()).build());
			}
			return chain.filter(exchange);
		}
		return authenticate(request).flatMap((caller) -> {
			exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
			return authorize(exchange, caller, requirement).flatMap(chain::filter);
		});
	}

	private Mono<Caller> authenticate(ServerHttpRequest request) {
		String credential = credential(request.getHeaders());
		if (credential == null) {
			return Mono.error(GatewayProblem
				.unauthorized("send an access token (Authorization: Bearer …) or an API key (X-Api-Key)"));
		}
		if (credential.startsWith(ApiKeys.PREFIX)) {
			// a key seen within the cache time is answered on the event loop; only a
			// lookup
			// in the database moves to a thread that may block
			Mono<Optional<Caller>> resolved = this.apiKeys.resolveCached(credential)
				.map(Mono::just)
				.orElseGet(() -> Mono.fromCallable(() -> this.apiKeys.resolve(credential))
					.subscribeOn(Schedulers.boundedElastic()));
			return resolved.flatMap((caller) -> caller.map(Mono::just)
				.orElseGet(() -> Mono.error(GatewayProblem.unauthorized("the API key is unknown or revoked"))));
		}
		try {
			return Mono.just(this.tokens.verify(credential));
		}
		catch (GatewayProblem problem) {
			return Mono.error(problem);
		}
	}

	private Mono<ServerWebExchange> authorize(ServerWebExchange exchange, Caller caller, Requirement requirement) {
		if (requirement.kind() == Requirement.Kind.SIGNED_IN) {
			return Mono.just(exchange);
		}
		if (requirement.kind() == Requirement.Kind.CLOSED) {
			return Mono.error(GatewayProblem.forbidden("no permission grants access to this path"));
		}
		String named = exchange.getRequest().getHeaders().getFirst(WORKSPACE);
		String workspace = (named != null) ? named : caller.defaultWorkspace().orElse(null);
		if (workspace == null) {
			return Mono.error(GatewayProblem.badRequest("name the workspace in the " + WORKSPACE + " header"));
		}
		if (!WORKSPACE_ID.matcher(workspace).matches()) {
			return Mono.error(GatewayProblem.badRequest("the " + WORKSPACE + " header is not a workspace id"));
		}
		Set<Permission> granted = caller.permissionsIn(workspace);
		if (granted.isEmpty()) {
			return Mono.error(GatewayProblem.forbidden("the caller has no access to workspace " + workspace));
		}
		if (!granted.contains(requirement.permission())) {
			return Mono.error(GatewayProblem.forbidden(
					"this needs the permission " + requirement.permission().wireName() + " in workspace " + workspace));
		}
		exchange.getAttributes().put(Caller.WORKSPACE_ATTRIBUTE, workspace);
		long wait = this.callers.acquire(caller.actor());
		if (wait > 0) {
			return Mono.error(tooManyRequests(wait, "the caller's rate limit is exhausted"));
		}
		return Mono.just(exchange.mutate().request(exchange.getRequest().mutate().headers((headers) -> {
			headers.set(WORKSPACE, workspace);
			headers.set(ACTOR, caller.actor());
			headers.remove(ServiceAssertion.HEADER);
			if (this.assertion.enabled()) {
				headers.set(ServiceAssertion.HEADER, this.assertion.sign(workspace, caller.actor()));
			}
			headers.remove(HttpHeaders.AUTHORIZATION);
			headers.remove(API_KEY);
		}).build()).build());
	}

	private static String credential(HttpHeaders headers) {
		String key = headers.getFirst(API_KEY);
		if (key != null && !key.isBlank()) {
			return key.trim();
		}
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = authorization.substring(7).trim();
			return token.isEmpty() ? null : token;
		}
		return null;
	}

	private static boolean audited(HttpMethod method, String path) {
		if (path.equals("/v1/auth/refresh") || !path.startsWith("/v1/")) {
			return false;
		}
		if (READS.contains(method)) {
			return path.endsWith("/export") || path.startsWith("/v1/privacy/");
		}
		// reads that post their query are not changes
		if (path.equals("/v1/profiles/search") || path.equals("/v1/segments/preview")) {
			return false;
		}
		return !path.startsWith("/v1/projects/") && !CollectorPaths.postsEvents(path);
	}

	private Mono<Void> record(ServerWebExchange exchange, String path) {
		Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
		String workspace = exchange.getAttribute(Caller.WORKSPACE_ATTRIBUTE);
		if (workspace == null) {
			String named = exchange.getRequest().getHeaders().getFirst(WORKSPACE);
			workspace = (named != null && WORKSPACE_ID.matcher(named).matches()) ? named : null;
		}
		HttpStatus status = HttpStatus.resolve((exchange.getResponse().getStatusCode() != null)
				? exchange.getResponse().getStatusCode().value() : 200);
		AuditLog.Entry entry = new AuditLog.Entry(workspace, (caller != null) ? caller.actor() : "anonymous",
				exchange.getRequest().getMethod().name().toUpperCase(Locale.ROOT), path,
				(status != null) ? status.value() : 200, clientIp(exchange.getRequest()),
				exchange.getRequest().getHeaders().getFirst("X-Request-Id"));
		return Mono.fromRunnable(() -> {
			try {
				this.audit.record(entry);
			}
			catch (RuntimeException ex) {
				log.error("Could not write the audit entry of request {}", entry.requestId(), ex);
				throw ex;
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	private static String clientIp(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : null;
	}

	private static GatewayProblem tooManyRequests(long wait, String detail) {
		return new GatewayProblem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
				detail + "; retry after " + wait + " s", Map.of("Retry-After", String.valueOf(wait)));
	}

}
