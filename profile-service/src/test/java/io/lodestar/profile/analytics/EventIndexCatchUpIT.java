package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * A catch-up larger than the limit is not done inline: SQL answers while the workspace
 * reloads in the background, and the reloaded copy has every change.
 */
@SpringBootTest(properties = { "lodestar.profile.analytics.index.refresh-interval=1h",
		"lodestar.profile.analytics.index.catch-up-limit=5" })
class EventIndexCatchUpIT {

	private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

	@Autowired
	EventIndex index;

	@Autowired
	FunnelService funnels;

	@Autowired
	JdbcTemplate jdbc;

	private final String workspace = "catchup-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void aLargeCatchUpReloadsWhileSqlAnswers() throws Exception {
		List<UUID> profiles = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			UUID profile = UUID.randomUUID();
			this.jdbc.update(
					"insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)"
							+ " values (?, ?, ?, ?)",
					this.workspace, profile, Timestamp.from(START), Timestamp.from(START));
			event(profile, "Product Viewed", 0);
			profiles.add(profile);
		}
		assertThat(this.index.current(this.workspace)).isPresent();
		FunnelRequest funnel = new FunnelRequest(
				List.of(new EventMatch(null, "Product Viewed", null), new EventMatch(null, "Order Completed", null)),
				"P1D", "2026-05-01", "2026-05-02", null, null);
		assertThat(this.funnels.run(this.workspace, funnel).steps().get(1).count()).isZero();

		// ten profiles change at once: more than the limit of five
		for (UUID profile : profiles.subList(0, 10)) {
			event(profile, "Order Completed", 60);
			this.jdbc.update("update profile.profile set updated_at = now() where workspace_id = ? and profile_id = ?",
					this.workspace, profile);
		}
		assertThat(this.index.current(this.workspace)).as("SQL answers while it reloads").isEmpty();
		assertThat(this.funnels.run(this.workspace, funnel).steps().get(1).count()).isEqualTo(10);

		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!Boolean.TRUE.equals(this.index.status(this.workspace).get("ready")) && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		IndexedEvents reloaded = this.index.current(this.workspace).orElseThrow();
		assertThat(reloaded.events()).isEqualTo(30);
		assertThat(IndexedAnalytics
			.funnel(reloaded, funnel, Duration.ofDays(1), DateRange.parse("2026-05-01", "2026-05-02", "/"))
			.counts()).containsExactly(20, 10);
	}

	private void event(UUID profile, String name, int minutes) {
		// with its profile's updated_at, as the pipeline writes (the index's contract)
		this.jdbc.update(
				"""
						with inserted as (
						  insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						  values (?, ?, ?, 'track', ?, ?, '{}'::jsonb) returning workspace_id, profile_id)
						update profile.profile p set updated_at = clock_timestamp() from inserted i
						 where p.workspace_id = i.workspace_id and p.profile_id = i.profile_id""",
				this.workspace, UUID.randomUUID(), profile, name, Timestamp.from(START.plusSeconds(60L * minutes)));
	}

}
