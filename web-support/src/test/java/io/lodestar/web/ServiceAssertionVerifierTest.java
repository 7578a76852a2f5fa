package io.lodestar.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAssertionVerifierTest {

	/**
	 * Signed by the gateway's {@code ServiceAssertion} (and independently by Python's
	 * hmac).
	 */
	private static final String GOLDEN = "v1.YWNtZQ.dXNlcjo0Mg.1795550000.i8s9NX51H2xeC6KLseUCC6vV84Dg5ZguTPxMH6wMPss";

	private static final Instant BEFORE_EXPIRY = Instant.ofEpochSecond(1_795_549_990L);

	private final ServiceAssertionVerifier verifier = new ServiceAssertionVerifier(
			"a-service-secret-of-thirty-two-bytes!");

	@Test
	void aServiceSignsTheGoldenAssertionForItsCallsToAnother() {
		// 60 s before the golden assertion's expiry
		ServiceAssertionSigner signer = new ServiceAssertionSigner(
				new WebSupportProperties("a-service-secret-of-thirty-two-bytes!"), "user:42",
				java.time.Clock.fixed(Instant.ofEpochSecond(1_795_549_940L), java.time.ZoneOffset.UTC));
		assertThat(signer.sign("acme")).isEqualTo(GOLDEN);
		assertThat(signer.headers("acme").getFirst(ServiceAssertionVerifier.HEADER)).isEqualTo(GOLDEN);
		assertThat(signer.headers("acme").getFirst(Workspace.HEADER)).isEqualTo("acme");
		// without a secret: the workspace only, as the receiving service then trusts it
		assertThat(new ServiceAssertionSigner(new WebSupportProperties(""), "x", java.time.Clock.systemUTC())
			.headers("acme")
			.containsHeader(ServiceAssertionVerifier.HEADER)).isFalse();
		assertThatThrownBy(
				() -> new ServiceAssertionSigner(new WebSupportProperties("short"), "x", java.time.Clock.systemUTC()))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void acceptsTheGatewaysWordForItsWorkspaceAndNamesTheActor() {
		assertThat(this.verifier.verify(GOLDEN, "acme", BEFORE_EXPIRY)).isEqualTo("user:42");
	}

	@Test
	void refusesAnotherWorkspaceAnExpiredOrForgedAssertionAndNone() {
		assertUnauthenticated(GOLDEN, "globex", BEFORE_EXPIRY, "did not vouch");
		assertUnauthenticated(GOLDEN, "acme", Instant.ofEpochSecond(1_795_550_000L), "expired");
		assertUnauthenticated(GOLDEN.replace("YWNtZQ", "Z2xvYmV4"), "globex", BEFORE_EXPIRY, "not signed");
		assertUnauthenticated(GOLDEN.replace(".1795550000.", ".1895550000."), "acme", BEFORE_EXPIRY, "not signed");
		assertUnauthenticated(GOLDEN.substring(0, GOLDEN.length() - 3), "acme", BEFORE_EXPIRY, "not signed");
		assertUnauthenticated("v1.garbage", "acme", BEFORE_EXPIRY, "malformed");
		assertUnauthenticated(null, "acme", BEFORE_EXPIRY, "through the gateway");
		assertThatThrownBy(() -> new ServiceAssertionVerifier("short")).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void anAssertionVerifiedBeforeIsStillCheckedForItsWorkspaceAndExpiry() {
		assertThat(this.verifier.verify(GOLDEN, "acme", BEFORE_EXPIRY)).isEqualTo("user:42");
		assertThat(this.verifier.verify(GOLDEN, "acme", BEFORE_EXPIRY)).isEqualTo("user:42");
		assertUnauthenticated(GOLDEN, "globex", BEFORE_EXPIRY, "did not vouch");
		assertUnauthenticated(GOLDEN, "acme", Instant.ofEpochSecond(1_795_550_000L), "expired");
		int at = GOLDEN.length() - 5;
		String forged = GOLDEN.substring(0, at) + ((GOLDEN.charAt(at) == 'A') ? 'B' : 'A') + GOLDEN.substring(at + 1);
		assertUnauthenticated(forged, "acme", BEFORE_EXPIRY, "not signed");
		// more assertions than are kept: the kept ones are dropped, all still verified
		ServiceAssertionSigner signer = new ServiceAssertionSigner(
				new WebSupportProperties("0123456789abcdef0123456789abcdef"), "svc", java.time.Clock.systemUTC());
		ServiceAssertionVerifier verifier = new ServiceAssertionVerifier("0123456789abcdef0123456789abcdef");
		for (int i = 0; i <= ServiceAssertionVerifier.VERIFIED_LIMIT; i++) {
			assertThat(verifier.verify(signer.sign("ws-" + i), "ws-" + i, Instant.now())).isEqualTo("svc");
		}
		assertThatThrownBy(() -> verifier.verify(signer.sign("ws-1"), "ws-2", Instant.now()))
			.isInstanceOf(ErrorResponseException.class);
	}

	private void assertUnauthenticated(String assertion, String workspace, Instant now, String reason) {
		assertThatThrownBy(() -> this.verifier.verify(assertion, workspace, now))
			.isInstanceOfSatisfying(ErrorResponseException.class, (ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
				assertThat(ex.getBody().getDetail()).contains(reason);
			});
	}

}
