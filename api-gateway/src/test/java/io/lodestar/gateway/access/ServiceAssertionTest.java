package io.lodestar.gateway.access;

import java.nio.charset.StandardCharsets;

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

}
