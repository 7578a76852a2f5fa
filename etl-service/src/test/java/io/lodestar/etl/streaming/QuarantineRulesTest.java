package io.lodestar.etl.streaming;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuarantineRulesTest {

	private final QuarantineRules rules = QuarantineRules.of(List.of("demo/qa-app"),
			List.of("(?i)^test\\+[^@]*@", "(?i)@([a-z0-9-]+\\.)*(test|invalid)$"),
			List.of("bot", "HeadlessChrome", "python-requests"), 3);

	@Test
	void testSourcesAreQuarantined() {
		assertThat(check(event("u1", "qa-app", null, null))).contains("test_source");
		assertThat(check(event("u1", "web", null, null))).isEmpty();
	}

	@Test
	void testEmailsAreQuarantinedRealOnesAreNot() {
		assertThat(check(event("u1", "web", null, "Test+signup@shop.com"))).contains("test_email");
		assertThat(check(event("u1", "web", null, "jane@qa.test"))).contains("test_email");
		assertThat(check(event("u1", "web", null, "nobody@example.invalid"))).contains("test_email");
		assertThat(check(event("u1", "web", null, "jane@example.com"))).isEmpty();
		assertThat(check(event("u1", "web", null, "contest@shop.com"))).isEmpty();
	}

	@Test
	void botUserAgentsAreQuarantinedCaseInsensitively() {
		assertThat(check(event("u1", "web", "Mozilla/5.0 (compatible; Googlebot/2.1)", null)))
			.contains("bot_user_agent");
		assertThat(check(event("u1", "web", "Mozilla/5.0 HeadlessChrome/126.0", null))).contains("bot_user_agent");
		assertThat(check(event("u1", "web", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0", null))).isEmpty();
	}

	@Test
	void moreEventsPerIdentityAndSecondThanAPersonCanMakeAreQuarantined() {
		QuarantineRules.RateWindow window = this.rules.newRateWindow();
		List<String> outcomes = java.util.stream.IntStream.range(0, 5)
			.mapToObj((i) -> this.rules.check(event("u1", "web", null, null), window).orElse("ok"))
			.toList();

		assertThat(outcomes).containsExactly("ok", "ok", "ok", "impossible_rate", "impossible_rate");
		assertThat(this.rules.check(event("u2", "web", null, null), window)).isEmpty();
	}

	private java.util.Optional<String> check(IncomingEvent event) {
		return this.rules.check(event, this.rules.newRateWindow());
	}

	private static IncomingEvent event(String userId, String sourceId, String userAgent, String email) {
		return new IncomingEvent("demo", UUID.randomUUID(), "track", Instant.parse("2026-11-20T10:00:00.250Z"), userId,
				null, "Clicked", null, null, sourceId, userAgent, email, null, null, null, null, null, null);
	}

}
