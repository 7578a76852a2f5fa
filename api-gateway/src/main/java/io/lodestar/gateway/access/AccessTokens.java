package io.lodestar.gateway.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * Short-lived access tokens: JWS (HS256) carrying the user's id and role per workspace,
 * so that checking a request needs no database. A role change or a removed membership
 * takes effect at the next refresh, at most one token lifetime later.
 */
@Component
class AccessTokens {

	private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

	static final String ISSUER = "lodestar";

	private final byte[] secret;

	private final SecurityProperties properties;

	private final Clock clock;

	AccessTokens(SecurityProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		if (properties.tokenSecret().isBlank()) {
			this.secret = new byte[32];
			new SecureRandom().nextBytes(this.secret);
			log.warn("No lodestar.gateway.security.token-secret (LODESTAR_TOKEN_SECRET) configured: access tokens are "
					+ "signed with a random secret and end with this process; configure one shared secret for "
					+ "several gateway instances");
		}
		else {
			this.secret = properties.tokenSecret().getBytes(StandardCharsets.UTF_8);
			if (this.secret.length < 32) {
				throw new IllegalStateException("lodestar.gateway.security.token-secret must be at least 32 bytes");
			}
		}
	}

	/**
	 * @param userId the user
	 * @param roles the user's roles by workspace
	 * @return a signed token and its lifetime in seconds
	 */
	IssuedToken issue(UUID userId, Map<String, Role> roles) {
		Instant now = this.clock.instant();
		Map<String, Object> workspaces = new LinkedHashMap<>();
		roles.forEach((workspace, role) -> workspaces.put(workspace, role.wireName()));
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(userId.toString())
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.properties.accessTokenTtl())))
			.claim("typ", "access")
			.claim("ws", workspaces)
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(this.secret));
			return new IssuedToken(jwt.serialize(), this.properties.accessTokenTtl().toSeconds());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign an access token", ex);
		}
	}

	/**
	 * @param token a bearer token
	 * @return the user it was issued to
	 * @throws GatewayProblem 401 when the token is malformed, tampered with, of another
	 * issuer or expired
	 */
	Caller verify(String token) {
		SignedJWT jwt;
		try {
			jwt = SignedJWT.parse(token);
		}
		catch (ParseException ex) {
			throw GatewayProblem.unauthorized("the access token is malformed");
		}
		try {
			if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
					|| !jwt.verify(new MACVerifier(this.secret))) {
				throw GatewayProblem.unauthorized("the access token's signature is invalid");
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			if (!ISSUER.equals(claims.getIssuer()) || !"access".equals(claims.getStringClaim("typ"))
					|| claims.getSubject() == null) {
				throw GatewayProblem.unauthorized("the token is not a Lodestar access token");
			}
			Date expires = claims.getExpirationTime();
			if (expires == null || !expires.toInstant().isAfter(this.clock.instant())) {
				throw GatewayProblem.unauthorized("the access token has expired; refresh it or log in again");
			}
			Map<String, Role> roles = new LinkedHashMap<>();
			Map<String, Object> workspaces = claims.getJSONObjectClaim("ws");
			if (workspaces != null) {
				workspaces.forEach((workspace, role) -> Role.fromWireName(String.valueOf(role))
					.ifPresent((known) -> roles.put(workspace, known)));
			}
			return Caller.user(UUID.fromString(claims.getSubject()).toString(), roles);
		}
		catch (JOSEException | ParseException | IllegalArgumentException ex) {
			throw GatewayProblem.unauthorized("the access token is malformed");
		}
	}

	record IssuedToken(String token, long expiresInSeconds) {
	}

}
