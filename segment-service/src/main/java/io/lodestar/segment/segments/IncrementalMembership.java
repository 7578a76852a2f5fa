package io.lodestar.segment.segments;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.web.Workspace;

/**
 * Keeps saved segments current between full recomputes: every second, the profiles the
 * pipeline changed (by {@code profile.updated_at}) and the profiles merged away are
 * re-evaluated against every saved segment of their workspace, and enter or exit.
 *
 * <p>
 * Re-evaluation is idempotent, so the window looks back {@code overlap} behind the last
 * change seen, which covers transactions that committed late with an earlier
 * {@code now()}. Rules on time alone ("last seen more than 30 days ago") change without
 * any profile changing: the scheduled full recompute takes those.
 */
@Component
class IncrementalMembership {

	private static final Logger logger = LoggerFactory.getLogger(IncrementalMembership.class);

	static final Duration OVERLAP = Duration.ofSeconds(30);

	static final int BATCH = 5_000;

	private final JdbcClient jdbc;

	private final SegmentService segments;

	private Instant watermark = Instant.now().minus(OVERLAP);

	IncrementalMembership(JdbcClient jdbc, SegmentService segments) {
		this.jdbc = jdbc;
		this.segments = segments;
	}

	/**
	 * Members whose profile no longer exists (erased, or merged away before the merge was
	 * seen) exit: a sweep, as deleted rows leave no change time behind.
	 */
	@Scheduled(fixedDelayString = "${lodestar.segment.orphan-sweep-interval:60s}")
	void removeOrphans() {
		List<Map<String, Object>> orphans = this.jdbc.sql("""
				select m.workspace_id, m.segment_id, m.profile_id from segment.membership m
				 where not exists (select 1 from profile.profile p
				                    where p.workspace_id = m.workspace_id and p.profile_id = m.profile_id)
				 limit :batch""").param("batch", BATCH).query().listOfRows();
		Map<String, Map<UUID, List<UUID>>> bySegment = new LinkedHashMap<>();
		for (Map<String, Object> row : orphans) {
			bySegment.computeIfAbsent((String) row.get("workspace_id"), (key) -> new LinkedHashMap<>())
				.computeIfAbsent((UUID) row.get("segment_id"), (key) -> new ArrayList<>())
				.add((UUID) row.get("profile_id"));
		}
		bySegment.forEach((workspace, segments) -> segments.forEach((segment, profiles) -> {
			try {
				this.segments.reevaluate(new Workspace(workspace), segment, profiles);
			}
			catch (RuntimeException ex) {
				logger.warn("Segment {}: orphans not removed ({})", segment, ex.getClass().getSimpleName());
			}
		}));
	}

	@Scheduled(fixedDelayString = "${lodestar.segment.incremental-interval:1s}")
	void reevaluateChanged() {
		Timestamp since = Timestamp.from(this.watermark.minus(OVERLAP));
		List<Map<String, Object>> changed = this.jdbc.sql("""
				select workspace_id, profile_id, updated_at from profile.profile
				 where updated_at > :since order by updated_at limit :batch""")
			.param("since", since)
			.param("batch", BATCH)
			.query()
			.listOfRows();
		List<Map<String, Object>> merged = this.jdbc.sql("""
				select workspace_id, merged_profile_id as profile_id, merged_at as updated_at from profile.profile_merge
				 where merged_at > :since limit :batch""")
			.param("since", since)
			.param("batch", BATCH)
			.query()
			.listOfRows();
		Map<String, List<UUID>> byWorkspace = new LinkedHashMap<>();
		Instant latest = this.watermark;
		for (List<Map<String, Object>> rows : List.of(changed, merged)) {
			for (Map<String, Object> row : rows) {
				byWorkspace.computeIfAbsent((String) row.get("workspace_id"), (key) -> new ArrayList<>())
					.add((UUID) row.get("profile_id"));
				Instant at = ((Timestamp) row.get("updated_at")).toInstant();
				if (at.isAfter(latest)) {
					latest = at;
				}
			}
		}
		if (byWorkspace.isEmpty()) {
			return;
		}
		boolean complete = true;
		List<Map.Entry<String, UUID>> order = this.segments.recomputeOrder();
		for (Map.Entry<String, List<UUID>> workspace : byWorkspace.entrySet()) {
			for (Map.Entry<String, UUID> segment : order) {
				if (!segment.getKey().equals(workspace.getKey())) {
					continue;
				}
				try {
					SegmentViews.Recomputed result = this.segments.reevaluate(new Workspace(workspace.getKey()),
							segment.getValue(), workspace.getValue());
					if (result.entered() + result.exited() > 0) {
						logger.debug("Segment {}: +{} -{}", segment.getValue(), result.entered(), result.exited());
					}
				}
				catch (RuntimeException ex) {
					complete = false;
					logger.warn("Segment {} not re-evaluated ({})", segment.getValue(), ex.getClass().getSimpleName());
				}
			}
		}
		if (complete) {
			// the next window starts at the newest change seen (minus the overlap)
			this.watermark = latest;
		}
	}

}
