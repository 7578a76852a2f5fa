package io.lodestar.gateway.access;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * Sign-in through an OpenID Connect provider (authorization code with PKCE), when
 * {@code lodestar.gateway.oidc.issuer} is set. The browser goes to
 * {@code /v1/auth/oidc/login}, signs in at the provider, comes back to the callback,
 * which verifies the ID token, finds (or provisions) the Lodestar user and sends the
 * browser to the dashboard with a one-time code; the dashboard exchanges it at
 * {@code POST /v1/auth/oidc/session} for the same session a password login gives. Tokens
 * never travel in a URL.
 */
@RestController
@RequestMapping("/v1/auth/oidc")
@EnableConfigurationProperties(OidcProperties.class)
class OidcController {

	private static final Logger logger = LoggerFactory.getLogger(OidcController.class);

	private final OidcProperties properties;

	private final OidcProvider provider;

	private final OidcSignIns signIns;

	private final Users users;

	private final AuthController sessions;

	OidcController(OidcProperties properties, OidcSignIns signIns, Users users, AuthController sessions) {
		this.properties = properties;
		this.provider = new OidcProvider(properties);
		this.signIns = signIns;
		this.users = users;
		this.sessions = sessions;
	}

	/** Whether single sign-on is offered, for the dashboard's sign-in form. */
	@GetMapping
	Map<String, Object> status() {
		return this.properties.enabled() ? Map.of("enabled", true, "displayName", this.properties.displayName())
				: Map.of("enabled", false);
	}

	@GetMapping("/login")
	Mono<ResponseEntity<Void>> login(@RequestParam(defaultValue = "/") String redirect) {
		enabled();
		if (!redirect.startsWith("/") || redirect.startsWith("//") || redirect.contains("\\")
				|| redirect.length() > 500) {
			return Mono.error(GatewayProblem.badRequest("redirect is a path of the dashboard, such as /#/profiles"));
		}
		return Blocking.call(() -> {
			OidcSignIns.Login login = this.signIns.begin(redirect);
			return ResponseEntity.status(HttpStatus.FOUND)
				.location(
						URI.create(this.provider.authorizationUrl(login.state(), login.nonce(), login.codeVerifier())))
				.build();
		});
	}

	/**
	 * The provider sends the browser back here. Errors the browser can do nothing about
	 * send it to the sign-in form with a reason; forged or replayed states are 401
	 * problems.
	 */
	@GetMapping("/callback")
	Mono<ResponseEntity<Void>> callback(@RequestParam(required = false) String code,
			@RequestParam(required = false) String state, @RequestParam(required = false) String error) {
		enabled();
		if (state == null || state.isBlank()) {
			return Mono.error(GatewayProblem.badRequest("the provider sent no state"));
		}
		return Blocking.call(() -> {
			OidcSignIns.Login login = this.signIns.take(state)
				.orElseThrow(() -> GatewayProblem
					.unauthorized("this sign-in is unknown, was used already or took too long; sign in again"));
			if (error != null) {
				return toDashboard("/#/login?error=" + encode("the identity provider said: " + clip(error)));
			}
			if (code == null || code.isBlank()) {
				throw GatewayProblem.badRequest("the provider sent no code");
			}
			JWTClaimsSet claims = this.provider.exchange(code, login.codeVerifier(), login.nonce());
			UUID user = user(claims);
			logger.info("OIDC sign-in of user {}", user);
			String handoff = this.signIns.handoff(user);
			String separator = login.redirect().contains("?") ? "&" : "?";
			return toDashboard(
					"/#/oidc" + separator + "code=" + encode(handoff) + "&redirect=" + encode(login.redirect()));
		});
	}

	/** Exchanges the one-time code for a session (access and refresh token). */
	@PostMapping("/session")
	Mono<AuthController.Session> session(@RequestBody HandoffRequest request, ServerWebExchange exchange) {
		enabled();
		if (request.code() == null || request.code().isBlank()) {
			return Mono.error(GatewayProblem.badRequest("send code"));
		}
		return Blocking.call(() -> {
			UUID user = this.signIns.redeem(request.code())
				.filter(this.users::enabled)
				.orElseThrow(() -> GatewayProblem.unauthorized("the sign-in code is unknown, used or expired"));
			exchange.getAttributes().put(Caller.ATTRIBUTE, Caller.user(user.toString(), Map.of()));
			return this.sessions.newSession(user);
		});
	}

	record HandoffRequest(String code) {
	}

	/**
	 * The Lodestar user of verified claims: the one linked to the provider's subject,
	 * else the one named by the verified username claim (then linked), else — when
	 * provisioning is configured — a new member of the provisioning workspace.
	 */
	private UUID user(JWTClaimsSet claims) {
		String issuer = claims.getIssuer();
		String subject = claims.getSubject();
		Optional<UUID> linked = this.signIns.linkedUser(issuer, subject);
		if (linked.isPresent()) {
			return linked.get();
		}
		String username = username(claims);
		Optional<UUID> existing = this.users.idOf(username).filter(this.users::enabled);
		if (existing.isPresent()) {
			this.signIns.link(issuer, subject, existing.get());
			return existing.get();
		}
		if (this.properties.provisionWorkspace().isBlank()) {
			throw GatewayProblem.forbidden("no Lodestar user is " + username + "; ask an administrator to add you");
		}
		Role role = Role.fromWireName(this.properties.provisionRole())
			.orElseThrow(() -> new IllegalStateException("lodestar.gateway.oidc.provision-role is not a role"));
		// never a password anyone knows: this user signs in through the provider
		UUID created = this.users.createMember(username, Secrets.random(""), this.properties.provisionWorkspace(), role)
			.or(() -> this.users.idOf(username))
			.orElseThrow();
		this.signIns.link(issuer, subject, created);
		return created;
	}

	private String username(JWTClaimsSet claims) {
		Object value = claims.getClaim(this.properties.usernameClaim());
		if (!(value instanceof String name) || name.isBlank()) {
			throw GatewayProblem.forbidden("the identity provider sent no " + this.properties.usernameClaim());
		}
		String username = Users.normalise(name);
		if ("email".equals(this.properties.usernameClaim())) {
			if (!Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
				throw GatewayProblem.forbidden("the identity provider has not verified this e-mail address");
			}
			String domain = username.substring(username.indexOf('@') + 1);
			if (!this.properties.allowedDomains().isEmpty() && this.properties.allowedDomains()
				.stream()
				.noneMatch((allowed) -> allowed.toLowerCase(Locale.ROOT).equals(domain))) {
				throw GatewayProblem.forbidden("addresses of " + domain + " may not sign in here");
			}
		}
		if (!username.matches("[a-z0-9][a-z0-9._@-]{1,63}")) {
			throw GatewayProblem.forbidden("the identity provider's " + this.properties.usernameClaim()
					+ " is not a Lodestar username (letters, digits, . _ @ -, at most 64)");
		}
		return username;
	}

	private void enabled() {
		if (!this.properties.enabled()) {
			throw GatewayProblem.notFound("single sign-on is not configured (lodestar.gateway.oidc.issuer)");
		}
	}

	private static ResponseEntity<Void> toDashboard(String location) {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location)).build();
	}

	private static String clip(String text) {
		return (text.length() > 100) ? text.substring(0, 100) : text;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
