package io.lodestar.gateway.access;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceAssertionTest {

	/**
	 * Computed independently (Python's hmac); web-support's
	 * {@code ServiceAssertionVerifierTest} verifies the same vector.
	 */
	static final String GOLDEN = "v1.YWNtZQ.dXNlcjo0Mg.1795550000.i8s9NX51H2xeC6KLseUCC6vV84Dg5ZguTPxMH6wMPss";

	@Test
	void signsTheGoldenVectorTheServicesVerify() {
		String signed = ServiceAssertion.sign("a-service-secret-of-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8),
				"acme", "user:42", 1_795_550_000L);

		assertThat(signed).isEqualTo(GOLDEN);
	}

	@Test
	void aCallersRequestsWithinOneSecondShareOneAssertionAndTheNextSecondGetsANewOne() {
		String secret = "a-service-secret-of-thirty-two-bytes!";
		AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_795_549_940L, 100_000_000));
		Clock clock = new Clock() {

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now.get();
			}

		};
		ServiceAssertion assertions = new ServiceAssertion(new SecurityProperties("", Duration.ofMinutes(15),
				Duration.ofDays(30), 4, new SecurityProperties.Admin("admin", "", "default"),
				new SecurityProperties.RateLimit(50, 200, 20), List.of(), 1_048_576, secret), clock);

		assertThat(assertions.sign("acme", "user:42")).isEqualTo(GOLDEN);
		now.set(now.get().plusMillis(800));
		assertThat(assertions.sign("acme", "user:42")).isEqualTo(GOLDEN);
		assertThat(assertions.sign("acme", "user:43")).isNotEqualTo(GOLDEN)
			.isEqualTo(
					ServiceAssertion.sign(secret.getBytes(StandardCharsets.UTF_8), "acme", "user:43", 1_795_550_000L));
		assertThat(assertions.sign("globex", "user:42")).isNotEqualTo(GOLDEN);
		now.set(now.get().plusMillis(200));
		assertThat(assertions.sign("acme", "user:42")).isEqualTo(
				ServiceAssertion.sign(secret.getBytes(StandardCharsets.UTF_8), "acme", "user:42", 1_795_550_001L));
	}

}
