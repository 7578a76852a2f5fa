package io.lodestar.profile.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.profile.privacy.ProfilesErased;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The in-memory timeline answers funnels and paths exactly as the SQL does, on random
 * events with repeats and ties — and still after PostgreSQL changed under it: new events,
 * a merge, an erasure, a profile without events.
 */
@SpringBootTest(properties = "lodestar.profile.analytics.index.refresh-interval=1h")
class EventIndexIT {

	private static final String[] NAMES = { "Product Viewed", "Product Added", "Checkout Started", "Order Completed",
			"Cart Emptied", "Signed Up" };

	private static final String[] PAGES = { "/home", "/shoes", "/cart" };

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	@Autowired
	FunnelService funnels;

	@Autowired
	PathService paths;

	@Autowired
	EventIndex index;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApplicationEventPublisher events;

	private final String workspace = "index-" + UUID.randomUUID().toString().substring(0, 8);

	private final Random random = new Random(20261202);

	private final List<UUID> profiles = new ArrayList<>();

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void answersAsTheSqlDoesAndFollowsPostgresql() {
		for (int p = 0; p < 300; p++) {
			UUID profile = profile();
			int events = this.random.nextInt(25);
			for (int e = 0; e < events; e++) {
				randomEvent(profile);
			}
		}
		assertThat(this.index.current(this.workspace)).as("a small workspace is loaded when first asked").isPresent();
		compare(40);

		// new events on known profiles, a new profile, as the pipeline writes them
		for (int i = 0; i < 40; i++) {
			UUID profile = this.profiles.get(this.random.nextInt(this.profiles.size()));
			randomEvent(profile);
			touch(profile);
		}
		UUID late = profile();
		for (int i = 0; i < 10; i++) {
			randomEvent(late);
		}
		// a merge as etl-service does it: events move, the survivor is touched, the
		// merged profile is deleted and recorded
		UUID merged = this.profiles.get(1);
		UUID into = this.profiles.get(2);
		this.jdbc.update("update profile.profile_event set profile_id = ? where workspace_id = ? and profile_id = ?",
				into, this.workspace, merged);
		touch(into);
		this.jdbc.update("insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)"
				+ " values (?, ?, ?, 'test')", this.workspace, merged, into);
		this.jdbc.update("delete from profile.profile where workspace_id = ? and profile_id = ?", this.workspace,
				merged);
		// an erasure, which profile-service announces
		UUID erased = this.profiles.get(3);
		this.jdbc.update("delete from profile.profile where workspace_id = ? and profile_id = ?", this.workspace,
				erased);
		this.events.publishEvent(new ProfilesErased(this.workspace, List.of(erased)));
		// a profile whose events all went (a rebuild found none)
		UUID emptied = this.profiles.get(4);
		this.jdbc.update("delete from profile.profile_event where workspace_id = ? and profile_id = ?", this.workspace,
				emptied);
		touch(emptied);

		IndexedEvents indexed = this.index.current(this.workspace).orElseThrow();
		assertThat(indexed.profiles).doesNotContainKeys(merged, erased, emptied).containsKey(late);
		Integer total = this.jdbc.queryForObject("select count(*) from profile.profile_event where workspace_id = ?",
				Integer.class, this.workspace);
		assertThat(indexed.events()).isEqualTo(total.longValue());
		compare(40);
	}

	/** Random funnels and paths, each answered by the index and by SQL. */
	private void compare(int questions) {
		for (int q = 0; q < questions; q++) {
			String from = "2026-01-" + String.format("%02d", 1 + this.random.nextInt(20));
			String to = "2026-02-" + String.format("%02d", 1 + this.random.nextInt(27));
			int n = 2 + this.random.nextInt(3);
			List<EventMatch> steps = new ArrayList<>();
			for (int k = 0; k < n; k++) {
				steps.add(randomMatch());
			}
			List<FunnelRequest.Exclusion> exclusions = this.random.nextBoolean() ? List.of()
					: List.of(new FunnelRequest.Exclusion(null, NAMES[this.random.nextInt(NAMES.length)], null, 1, n));
			String window = List.of("PT1H", "P1D", "P7D", "P30D").get(this.random.nextInt(4));
			FunnelRequest funnel = new FunnelRequest(steps, window, from, to, exclusions, null);
			assertThat(IndexedAnalytics.answers(funnel)).isTrue();
			FunnelResult indexed = this.funnels.run(this.workspace, funnel);
			FunnelResult sql = this.funnels.sql(this.workspace, funnel);
			assertThat(indexed.excluded()).as("excluded of %s", funnel).isEqualTo(sql.excluded());
			assertThat(indexed.steps()).hasSameSizeAs(sql.steps());
			for (int k = 0; k < n; k++) {
				FunnelResult.Step a = indexed.steps().get(k);
				FunnelResult.Step b = sql.steps().get(k);
				assertThat(a.count()).as("step %d of %s", k + 1, funnel).isEqualTo(b.count());
				assertThat(a.dropOff()).isEqualTo(b.dropOff());
				if (b.medianSecondsFromPrevious() == null) {
					assertThat(a.medianSecondsFromPrevious()).isNull();
				}
				else {
					assertThat(a.medianSecondsFromPrevious()).isCloseTo(b.medianSecondsFromPrevious(), within(1e-6));
				}
			}

			PathRequest path = new PathRequest(this.random.nextBoolean() ? randomMatch() : null, null,
					1 + this.random.nextInt(5), 1 + this.random.nextInt(6), from, to, this.random.nextBoolean());
			if (this.random.nextBoolean()) {
				path = new PathRequest(null, randomMatch(), path.depth(), path.top(), from, to, path.collapseRepeats());
			}
			else if (path.start() == null) {
				path = new PathRequest(randomMatch(), null, path.depth(), path.top(), from, to, path.collapseRepeats());
			}
			PathResult a = this.paths.run(this.workspace, path);
			PathResult b = this.paths.sql(this.workspace, path);
			assertThat(a.profiles()).as("profiles of %s", path).isEqualTo(b.profiles());
			assertThat(a.nodes()).as("nodes of %s", path).isEqualTo(b.nodes());
			assertThat(a.links()).as("links of %s", path).isEqualTo(b.links());
		}
	}

	private EventMatch randomMatch() {
		if (this.random.nextInt(6) == 0) {
			return new EventMatch("page", null, null);
		}
		return new EventMatch(null, NAMES[this.random.nextInt(4)], null);
	}

	private UUID profile() {
		UUID id = UUID.randomUUID();
		this.jdbc.update("insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)"
				+ " values (?, ?, ?, ?)", this.workspace, id, Timestamp.from(START), Timestamp.from(START));
		this.profiles.add(id);
		return id;
	}

	private void touch(UUID profile) {
		this.jdbc.update("update profile.profile set updated_at = now() where workspace_id = ? and profile_id = ?",
				this.workspace, profile);
	}

	private void randomEvent(UUID profile) {
		// over two months, on the hour or a minute or two after: many ties
		Instant at = START.plusSeconds(
				86_400L * this.random.nextInt(60) + 3_600L * this.random.nextInt(24) + 60L * this.random.nextInt(3));
		boolean page = this.random.nextInt(5) == 0;
		boolean identify = !page && this.random.nextInt(20) == 0;
		String type = page ? "page" : identify ? "identify" : "track";
		String name = (page || identify) ? "" : NAMES[this.random.nextInt(NAMES.length)];
		String properties = page ? "{\"path\":\"" + PAGES[this.random.nextInt(PAGES.length)] + "\"}" : "{}";
		// the event and its profile's updated_at in one statement, as the pipeline writes
		// them: the index reloads a profile when its updated_at changes (a startup load
		// racing with these inserts must still end up with every event)
		this.jdbc.update(
				"""
						with inserted as (
						  insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
						  values (?, ?, ?, ?, ?, ?, ?::jsonb) returning workspace_id, profile_id)
						update profile.profile p set updated_at = clock_timestamp() from inserted i
						 where p.workspace_id = i.workspace_id and p.profile_id = i.profile_id""",
				this.workspace, UUID.randomUUID(), profile, type, name, Timestamp.from(at), properties);
	}

}
