package io.lodestar.profile.privacy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An erasure whose lake cannot be reached is retried and finally marked failed, and
 * removes nothing from PostgreSQL meanwhile: the person is never half-erased with lake
 * rows left behind.
 */
@SpringBootTest(properties = { "lodestar.profile.lake.url=http://127.0.0.1:9",
		"lodestar.profile.privacy.max-attempts=2", "lodestar.profile.privacy.retry-backoff=0s" })
class ErasureRetryIT {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PrivacyRequests requests;

	@Autowired
	PrivacyWorker worker;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void anUnreachableLakeFailsTheRequestAfterItsAttemptsAndKeepsTheProfile() {
		String workspace = "retry-" + UUID.randomUUID().toString().substring(0, 8);
		UUID profile = UUID.randomUUID();
		this.jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at, event_count)
				values (?, ?, now(), now(), 1)""", workspace, profile);
		PrivacyRequestView request = this.requests.create(workspace, "erasure", profile);

		// with no backoff the worker retries at once, until the attempts are spent
		this.worker.runDue();
		PrivacyRequestView after = this.requests.find(workspace, request.requestId()).orElseThrow();

		assertThat(after.status()).isEqualTo("failed");
		assertThat(after.attempts()).isEqualTo(2);
		assertThat(after.error()).isEqualTo("ResourceAccessException in the erasure job");
		assertThat(after.completedAt()).isNotNull();
		assertThat(after.profileId()).isEqualTo(profile);
		assertThat(this.jdbc.queryForObject("select count(*) from profile.profile where workspace_id = ?", Long.class,
				workspace))
			.isEqualTo(1);
	}

}
