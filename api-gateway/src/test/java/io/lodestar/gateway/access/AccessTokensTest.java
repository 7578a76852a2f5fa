package io.lodestar.gateway.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.lodestar.gateway.system.GatewayProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokensTest {

	private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

	private final Instant now = Instant.parse("2026-11-24T12:00:00Z");

	@Test
	void aTokenCarriesTheUserAndTheirRolesUntilItExpires() {
		UUID user = UUID.randomUUID();
		AccessTokens.IssuedToken token = tokens(SECRET, this.now).issue(user,
				Map.of("acme", Role.MARKETER, "globex", Role.VIEWER));

		Caller caller = tokens(SECRET, this.now.plusSeconds(60)).verify(token.token());

		assertThat(token.expiresInSeconds()).isEqualTo(900);
		assertThat(caller.id()).isEqualTo(user.toString());
		assertThat(caller.roles()).containsEntry("acme", Role.MARKETER).containsEntry("globex", Role.VIEWER);
		assertThat(caller.permissionsIn("acme")).contains(Permission.SEGMENTS_WRITE);
		assertThat(caller.permissionsIn("initech")).isEmpty();
		assertThatThrownBy(() -> tokens(SECRET, this.now.plus(Duration.ofMinutes(15))).verify(token.token()))
			.isInstanceOf(GatewayProblem.class)
			.hasMessageContaining("expired");
	}

	@Test
	void aTokenOfAnotherSecretIsRefused() {
		String token = tokens("another-secret-of-at-least-thirty-two-bytes", this.now)
			.issue(UUID.randomUUID(), Map.of("acme", Role.ADMIN))
			.token();

		assertThatThrownBy(() -> tokens(SECRET, this.now).verify(token)).isInstanceOf(GatewayProblem.class)
			.hasMessageContaining("signature");
	}

	@Test
	void aShortSecretIsAConfigurationError() {
		assertThatThrownBy(() -> tokens("too-short", this.now)).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void unknownRolesInATokenGrantNothing() {
		AccessTokens tokens = tokens(SECRET, this.now);
		Caller caller = tokens.verify(tokens.issue(UUID.randomUUID(), Map.of()).token());
		assertThat(caller.roles()).isEmpty();
		assertThat(caller.defaultWorkspace()).isEmpty();
	}

	private static AccessTokens tokens(String secret, Instant at) {
		return new AccessTokens(
				new SecurityProperties(secret, Duration.ofMinutes(15), Duration.ofDays(30), 4,
						new SecurityProperties.Admin("admin", "", "default"),
						new SecurityProperties.RateLimit(50, 200, 20), List.of(), 1_048_576, ""),
				Clock.fixed(at, ZoneOffset.UTC));
	}

}
