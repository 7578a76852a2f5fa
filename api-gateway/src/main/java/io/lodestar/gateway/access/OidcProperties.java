package io.lodestar.gateway.access;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional sign-in through an OpenID Connect provider, prefix
 * {@code lodestar.gateway.oidc}; off while {@code issuer} is empty.
 *
 * @param issuer the provider's issuer URL ({@code https://accounts.example.com}); its
 * {@code /.well-known/openid-configuration} names the endpoints
 * @param clientId the client registered at the provider
 * @param clientSecret its secret (sent with HTTP Basic to the token endpoint)
 * @param redirectUri the gateway's callback as registered at the provider
 * ({@code https://cdp.example.com/v1/auth/oidc/callback})
 * @param displayName what the dashboard's button says ("Sign in with …")
 * @param scopes the scopes asked for
 * @param usernameClaim the verified claim that names the Lodestar user ({@code email}, or
 * {@code preferred_username})
 * @param allowedDomains if not empty, only e-mail addresses of these domains may sign in
 * @param provisionWorkspace a first sign-in of someone without a Lodestar user creates
 * one with {@code provisionRole} in this workspace; empty: only existing users may sign
 * in
 * @param provisionRole the role given to provisioned users
 * @param clockSkew tolerance on the ID token's times
 */
@ConfigurationProperties("lodestar.gateway.oidc")
public record OidcProperties(@DefaultValue("") String issuer, @DefaultValue("") String clientId,
		@DefaultValue("") String clientSecret, @DefaultValue("") String redirectUri,
		@DefaultValue("single sign-on") String displayName, @DefaultValue("openid email profile") String scopes,
		@DefaultValue("email") String usernameClaim, @DefaultValue( {
		}) List<String> allowedDomains, @DefaultValue("") String provisionWorkspace,
		@DefaultValue("viewer") String provisionRole, @DefaultValue("60s") Duration clockSkew){

	boolean enabled() {
		return !this.issuer.isBlank();
	}

}
