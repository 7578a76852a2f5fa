package io.lodestar.gateway.access;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * The OpenID Connect provider as the authorization-code flow with PKCE needs it: its
 * endpoints from discovery, the authorization URL, the code exchange, and the ID token's
 * verification — signature against the provider's published keys (RS256, ES256 …),
 * issuer, audience, expiry and the login's nonce. Blocking: callers run it off the event
 * loop.
 */
final class OidcProvider {

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
			JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

	private final OidcProperties properties;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private volatile Endpoints endpoints;

	OidcProvider(OidcProperties properties) {
		this.properties = properties;
	}

	/** The provider's endpoints, read once from its discovery document. */
	private record Endpoints(String authorization, String token, JWKSource<SecurityContext> keys) {
	}

	/**
	 * Where to send the browser to sign in.
	 * @param state the login's state
	 * @param nonce the login's nonce
	 * @param codeVerifier the login's PKCE verifier (its S256 challenge is sent)
	 */
	String authorizationUrl(String state, String nonce, String codeVerifier) {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("response_type", "code");
		query.put("client_id", this.properties.clientId());
		query.put("redirect_uri", this.properties.redirectUri());
		query.put("scope", this.properties.scopes());
		query.put("state", state);
		query.put("nonce", nonce);
		query.put("code_challenge", challenge(codeVerifier));
		query.put("code_challenge_method", "S256");
		String endpoint = endpoints().authorization();
		return endpoint + (endpoint.contains("?") ? "&" : "?") + form(query);
	}

	/**
	 * Exchanges the code for tokens and verifies the ID token.
	 * @return the ID token's verified claims
	 * @throws GatewayProblem 401 when the provider refuses the code or the token does not
	 * verify
	 */
	JWTClaimsSet exchange(String code, String codeVerifier, String nonce) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("grant_type", "authorization_code");
		body.put("code", code);
		body.put("redirect_uri", this.properties.redirectUri());
		body.put("code_verifier", codeVerifier);
		String basic = Base64.getEncoder()
			.encodeToString((encode(this.properties.clientId()) + ":" + encode(this.properties.clientSecret()))
				.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response;
		try {
			response = this.http.send(HttpRequest.newBuilder(URI.create(endpoints().token()))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "application/json")
				.header("Authorization", "Basic " + basic)
				.POST(HttpRequest.BodyPublishers.ofString(form(body)))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw GatewayProblem.unauthorized("the identity provider could not be reached");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw GatewayProblem.unauthorized("the sign-in was interrupted");
		}
		if (response.statusCode() != 200) {
			throw GatewayProblem.unauthorized("the identity provider refused the sign-in code (HTTP "
					+ response.statusCode() + "); sign in again");
		}
		JsonNode tokens = this.json.readTree(response.body());
		JsonNode idToken = tokens.get("id_token");
		if (idToken == null || !idToken.isString()) {
			throw GatewayProblem.unauthorized("the identity provider sent no ID token");
		}
		return verify(idToken.asString(), nonce);
	}

	JWTClaimsSet verify(String idToken, String nonce) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, endpoints().keys()));
		DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(this.properties.clientId(),
				new JWTClaimsSet.Builder().issuer(this.properties.issuer()).claim("nonce", nonce).build(),
				new HashSet<>(Set.of("sub", "exp", "iat")));
		claims.setMaxClockSkew((int) this.properties.clockSkew().toSeconds());
		processor.setJWTClaimsSetVerifier(claims);
		try {
			JWTClaimsSet verified = processor.process(idToken, null);
			Date expiry = verified.getExpirationTime();
			if (expiry == null) {
				throw GatewayProblem.unauthorized("the ID token has no expiry");
			}
			return verified;
		}
		catch (BadJOSEException | ParseException | JOSEException ex) {
			throw GatewayProblem.unauthorized("the ID token did not verify: " + reason(ex));
		}
	}

	private Endpoints endpoints() {
		Endpoints known = this.endpoints;
		if (known != null) {
			return known;
		}
		String issuer = this.properties.issuer().replaceAll("/+$", "");
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
					.timeout(Duration.ofSeconds(10))
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw GatewayProblem.unauthorized("the identity provider's discovery document is unavailable");
			}
			JsonNode document = this.json.readTree(response.body());
			if (!issuer.equals(document.path("issuer").asString("").replaceAll("/+$", ""))) {
				throw GatewayProblem.unauthorized("the identity provider names another issuer");
			}
			JWKSource<SecurityContext> keys = JWKSourceBuilder
				.<SecurityContext>create(URI.create(document.path("jwks_uri").asString()).toURL())
				.build();
			Endpoints discovered = new Endpoints(document.path("authorization_endpoint").asString(),
					document.path("token_endpoint").asString(), keys);
			this.endpoints = discovered;
			return discovered;
		}
		catch (IOException | IllegalArgumentException ex) {
			throw GatewayProblem.unauthorized("the identity provider could not be reached");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw GatewayProblem.unauthorized("the sign-in was interrupted");
		}
	}

	/** What went wrong with a token, without echoing it. */
	private static String reason(Exception ex) {
		String message = String.valueOf(ex.getMessage());
		return (message.length() > 200) ? message.substring(0, 200) : message;
	}

	/** The PKCE S256 challenge of a verifier. */
	static String challenge(String verifier) {
		byte[] digest = java.util.HexFormat.of().parseHex(Secrets.sha256(verifier));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private static String form(Map<String, String> values) {
		return values.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
