package io.lodestar.gateway.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {

	@ParameterizedTest
	@CsvSource({ "/v1/segments, /v1/segments", "/v1/profiles/jane@example.com/consent, /v1/profiles/*/consent",
			"/v1/profiles/jane%40example.com, /v1/profiles/*",
			"/v1/profiles/+44 20 7946 0958/consent, /v1/profiles/*/consent",
			"/v1/profiles/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/consent, /v1/profiles/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/consent",
			"/v1/api-keys/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/rotate, /v1/api-keys/6f1c2a55-1d2e-4c0b-9a55-0f1e2d3c4b5a/rotate" })
	void pathsKeepIdsButNotEmailsOrPhones(String path, String stored) {
		assertThat(AuditLog.safePath(path)).isEqualTo(stored);
	}

}
