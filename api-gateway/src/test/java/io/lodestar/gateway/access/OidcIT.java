package io.lodestar.gateway.access;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.gateway.StubService;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against an OpenID Connect provider on loopback that speaks the real
 * protocol: discovery, published RSA keys, and a token endpoint that checks the client's
 * secret, the redirect URI and the PKCE verifier before it signs an ID token. The test
 * plays the browser: it follows the gateway to the provider and back, then exchanges the
 * dashboard's one-time code for a session. Tampered, replayed and foreign sign-ins fail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcIT {

	private static final StubService SERVICES = StubService.start("service");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Provider PROVIDER = new Provider();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("spring.flyway.schemas", () -> "gateway_oidc");
		registry.add("spring.flyway.default-schema", () -> "gateway_oidc");
		registry.add("spring.datasource.hikari.schema", () -> "gateway_oidc");
		registry.add("lodestar.gateway.security.admin.password", () -> "oidc-admin-password");
		registry.add("lodestar.gateway.security.admin.workspace", () -> "acme");
		// the sign-in paths share the login rate limit; this test signs in many times
		registry.add("lodestar.gateway.security.rate-limit.logins-per-minute", () -> "6000");
		registry.add("lodestar.gateway.oidc.issuer", PROVIDER::issuer);
		registry.add("lodestar.gateway.oidc.client-id", () -> "lodestar");
		registry.add("lodestar.gateway.oidc.client-secret", () -> "client-secret");
		registry.add("lodestar.gateway.oidc.redirect-uri", () -> "http://127.0.0.1/v1/auth/oidc/callback");
		registry.add("lodestar.gateway.oidc.display-name", () -> "Acme SSO");
		registry.add("lodestar.gateway.oidc.provision-workspace", () -> "acme");
		registry.add("lodestar.gateway.oidc.provision-role", () -> "viewer");
		registry.add("lodestar.gateway.oidc.allowed-domains", () -> "acme.example");
		for (String service : new String[] { "ingestion", "profile", "segment", "recommender", "etl" }) {
			registry.add("lodestar.gateway." + service + "-url", SERVICES::url);
		}
	}

	@AfterAll
	static void stop() {
		SERVICES.close();
		PROVIDER.close();
	}

	@BeforeEach
	void reset() {
		PROVIDER.claims = UnaryOperator.identity();
		PROVIDER.signer = PROVIDER.key;
	}

	@Test
	void aFirstSignInProvisionsAViewerAndTheNextOneFindsTheSameUser() throws Exception {
		JsonNode status = JSON.readTree(get("/v1/auth/oidc").body());
		assertThat(status.get("enabled").asBoolean()).isTrue();
		assertThat(status.get("displayName").asString()).isEqualTo("Acme SSO");

		String subject = "sub-" + UUID.randomUUID();
		String email = "ada-" + subject.substring(4, 12) + "@acme.example";
		JsonNode session = signIn(subject, email, "/#/profiles");
		assertThat(session.get("tokenType").asString()).isEqualTo("Bearer");
		assertThat(session.get("user").get("username").asString()).isEqualTo(email);
		assertThat(session.get("user").get("workspaces").get(0).get("workspace").asString()).isEqualTo("acme");
		assertThat(session.get("user").get("workspaces").get(0).get("role").asString()).isEqualTo("viewer");
		// the access token works like a password login's
		HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(uri("/v1/auth/me"))
			.header("Authorization", "Bearer " + session.get("accessToken").asString())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(me.body()).get("username").asString()).isEqualTo(email);
		// and the refresh token too
		HttpResponse<String> refreshed = post("/v1/auth/refresh",
				"{\"refreshToken\":\"" + session.get("refreshToken").asString() + "\"}");
		assertThat(refreshed.statusCode()).isEqualTo(200);

		// again, even with another address at the provider: the subject is linked to the
		// user
		PROVIDER.claims = (claims) -> new JWTClaimsSet.Builder(claims).claim("email", "renamed@acme.example").build();
		JsonNode again = signIn(subject, email, "/");
		assertThat(again.get("user").get("id").asString()).isEqualTo(session.get("user").get("id").asString());
	}

	@Test
	void anExistingUserSignsInByVerifiedEmail() throws Exception {
		// the administrator, made at the first start, has a username that is no address
		// here;
		// an admin-created member whose username is the address signs in as that member
		String admin = JSON
			.readTree(post("/v1/auth/login", "{\"username\":\"admin\",\"password\":\"oidc-admin-password\"}").body())
			.get("accessToken")
			.asString();
		String email = "grace-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
		HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(uri("/v1/users"))
			.header("Authorization", "Bearer " + admin)
			.header("X-Lodestar-Workspace", "acme")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + email + "\",\"role\":\"marketer\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

		JsonNode session = signIn("sub-" + UUID.randomUUID(), email, "/");
		assertThat(session.get("user").get("workspaces").get(0).get("role").asString()).isEqualTo("marketer");
	}

	@Test
	void forgedReplayedAndForeignSignInsFail() throws Exception {
		String subject = "sub-" + UUID.randomUUID();
		String email = "eve-" + subject.substring(4, 12) + "@acme.example";

		// a state the gateway never issued
		HttpResponse<String> unknown = get("/v1/auth/oidc/callback?code=x&state=forged");
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));

		// an ID token signed with another key, one for another client, and an expired one
		PROVIDER.signer = new RSAKeyGenerator(2048).keyID("other").generate();
		assertThat(callback(subject, email).statusCode()).isEqualTo(401);
		PROVIDER.signer = PROVIDER.key;
		PROVIDER.claims = (claims) -> new JWTClaimsSet.Builder(claims).audience("someone-else").build();
		assertThat(callback(subject, email).statusCode()).isEqualTo(401);
		PROVIDER.claims = (claims) -> new JWTClaimsSet.Builder(claims)
			.expirationTime(new Date(System.currentTimeMillis() - 600_000))
			.build();
		assertThat(callback(subject, email).statusCode()).isEqualTo(401);
		// a token replayed into another login: its nonce is not that login's
		PROVIDER.claims = (claims) -> new JWTClaimsSet.Builder(claims).claim("nonce", "stolen").build();
		assertThat(callback(subject, email).statusCode()).isEqualTo(401);
		// an unverified address, and a domain that may not sign in
		PROVIDER.claims = (claims) -> new JWTClaimsSet.Builder(claims).claim("email_verified", false).build();
		assertThat(callback(subject, email).statusCode()).isEqualTo(403);
		PROVIDER.claims = UnaryOperator.identity();
		assertThat(callback(subject, "eve@elsewhere.example").statusCode()).isEqualTo(403);

		// the provider's own refusal sends the browser back to the sign-in form
		Login login = begin("/");
		HttpResponse<String> denied = get(
				"/v1/auth/oidc/callback?error=access_denied&state=" + encode(login.query().get("state")));
		assertThat(denied.statusCode()).isEqualTo(302);
		assertThat(denied.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).startsWith("/#/login?error="));

		// a good sign-in; then its state and its dashboard code are used up
		login = begin("/");
		String code = PROVIDER.authorize(login.query(), subject, email);
		HttpResponse<String> back = get("/v1/auth/oidc/callback?code=" + code + "&state=" + login.query().get("state"));
		assertThat(back.statusCode()).isEqualTo(302);
		String handoff = handoffCode(back);
		assertThat(post("/v1/auth/oidc/session", "{\"code\":\"" + handoff + "\"}").statusCode()).isEqualTo(200);
		assertThat(post("/v1/auth/oidc/session", "{\"code\":\"" + handoff + "\"}").statusCode()).isEqualTo(401);
		assertThat(get("/v1/auth/oidc/callback?code=" + code + "&state=" + login.query().get("state")).statusCode())
			.isEqualTo(401);
		// only dashboard paths as redirects
		assertThat(get("/v1/auth/oidc/login?redirect=https://evil.example/").statusCode()).isEqualTo(400);
		assertThat(get("/v1/auth/oidc/login?redirect=//evil.example").statusCode()).isEqualTo(400);
	}

	/** The whole dance: gateway → provider → callback → session. */
	private JsonNode signIn(String subject, String email, String redirect) throws Exception {
		Login login = begin(redirect);
		String code = PROVIDER.authorize(login.query(), subject, email);
		HttpResponse<String> back = get("/v1/auth/oidc/callback?code=" + code + "&state=" + login.query().get("state"));
		assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
		String location = back.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith("/#/oidc?code=lso_").contains("redirect=" + encode(redirect));
		HttpResponse<String> session = post("/v1/auth/oidc/session", "{\"code\":\"" + handoffCode(back) + "\"}");
		assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
		return JSON.readTree(session.body());
	}

	/** A login that ends at the callback, with its status. */
	private HttpResponse<String> callback(String subject, String email) throws Exception {
		Login login = begin("/");
		String code = PROVIDER.authorize(login.query(), subject, email);
		return get("/v1/auth/oidc/callback?code=" + code + "&state=" + login.query().get("state"));
	}

	private Login begin(String redirect) throws Exception {
		HttpResponse<String> response = get("/v1/auth/oidc/login?redirect=" + encode(redirect));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(PROVIDER.issuer() + "/authorize?");
		Map<String, String> query = query(location.getRawQuery());
		assertThat(query).containsEntry("response_type", "code")
			.containsEntry("client_id", "lodestar")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge");
		return new Login(query);
	}

	private record Login(Map<String, String> query) {
	}

	private static String handoffCode(HttpResponse<String> back) {
		String location = back.headers().firstValue("Location").orElseThrow();
		return query(location.substring(location.indexOf('?') + 1)).get("code");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : raw.split("&")) {
			int equals = pair.indexOf('=');
			values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	/**
	 * An OpenID Connect provider on loopback: discovery, JWKS, and a token endpoint that
	 * honours client authentication, the redirect URI and PKCE.
	 */
	static final class Provider {

		final RSAKey key;

		volatile RSAKey signer;

		volatile UnaryOperator<JWTClaimsSet> claims = UnaryOperator.identity();

		private final HttpServer server;

		private final Map<String, Grant> codes = new ConcurrentHashMap<>();

		private record Grant(String subject, String email, String nonce, String challenge, String redirectUri) {
		}

		Provider() {
			try {
				this.key = new RSAKeyGenerator(2048).keyID("k1").generate();
				this.signer = this.key;
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			this.server.createContext("/.well-known/openid-configuration",
					(exchange) -> respond(exchange, 200,
							"{\"issuer\":\"" + issuer() + "\",\"authorization_endpoint\":\"" + issuer()
									+ "/authorize\",\"token_endpoint\":\"" + issuer() + "/token\",\"jwks_uri\":\""
									+ issuer() + "/jwks\"}"));
			this.server.createContext("/jwks",
					(exchange) -> respond(exchange, 200, new JWKSet(this.key.toPublicJWK()).toString()));
			this.server.createContext("/token", this::token);
			this.server.start();
		}

		String issuer() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		/** What the provider does when the user signs in: a code bound to the request. */
		String authorize(Map<String, String> request, String subject, String email) {
			String code = "code-" + UUID.randomUUID();
			this.codes.put(code, new Grant(subject, email, request.get("nonce"), request.get("code_challenge"),
					request.get("redirect_uri")));
			return code;
		}

		private void token(HttpExchange exchange) throws IOException {
			String expected = "Basic " + java.util.Base64.getEncoder()
				.encodeToString("lodestar:client-secret".getBytes(StandardCharsets.UTF_8));
			if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				respond(exchange, 401, "{\"error\":\"invalid_client\"}");
				return;
			}
			Map<String, String> form = query(
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			Grant grant = this.codes.remove(form.get("code"));
			if (grant == null || !"authorization_code".equals(form.get("grant_type"))
					|| !grant.redirectUri().equals(form.get("redirect_uri"))
					|| !grant.challenge().equals(OidcProvider.challenge(form.get("code_verifier")))) {
				respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
				return;
			}
			long now = System.currentTimeMillis();
			JWTClaimsSet token = this.claims.apply(new JWTClaimsSet.Builder().issuer(issuer())
				.subject(grant.subject())
				.audience(List.of("lodestar"))
				.issueTime(new Date(now))
				.expirationTime(new Date(now + 300_000))
				.claim("nonce", grant.nonce())
				.claim("email", grant.email())
				.claim("email_verified", true)
				.build());
			try {
				SignedJWT jwt = new SignedJWT(
						new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.signer.getKeyID()).build(), token);
				jwt.sign(new RSASSASigner(this.signer));
				respond(exchange, 200,
						"{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"" + jwt.serialize() + "\"}");
			}
			catch (Exception ex) {
				respond(exchange, 500, "{}");
			}
		}

		private static void respond(HttpExchange exchange, int status, String body) throws IOException {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}

		void close() {
			this.server.stop(0);
		}

	}

}
