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
 * Keeps saved segments current between full recomputes: twice a second, the profiles the
 * pipeline changed (by {@code profile.updated_at}) and the profiles merged away are
 * re-evaluated against every saved segment of their workspace, and enter or exit.
 *
 * <p>
 * The window looks back {@code overlap} behind the newest change seen, which covers
 * transactions that committed late with an earlier {@code now()}; it is read in pages in
 * (time, profile id) order, however many changes it holds, and a change already evaluated
 * (the same profile at the same time) is skipped when the overlap reads it again.
 * Re-evaluation is idempotent, so a pass that fails is simply read again. Rules on time
 * alone ("last seen more than 30 days ago") change without any profile changing: the
 * scheduled full recompute takes those.
 */
@Component
class IncrementalMembership {

	private static final Logger logger = LoggerFactory.getLogger(IncrementalMembership.class);

	static final Duration OVERLAP = Duration.ofSeconds(30);

	private static final UUID NO_PROFILE = new UUID(0, 0);

	private static final String CHANGED = """
			select workspace_id, profile_id, updated_at as at from profile.profile
			 where (updated_at, profile_id) > (:at, :id) order by updated_at, profile_id limit :batch""";

	private static final String MERGED = """
			select workspace_id, merged_profile_id as profile_id, merged_at as at from profile.profile_merge
			 where (merged_at, merged_profile_id) > (:at, :id) order by merged_at, merged_profile_id limit :batch""";

	private final JdbcClient jdbc;

	private final SegmentService segments;

	private final int batch;

	private Instant watermark = Instant.now().minus(OVERLAP);

	/**
	 * Changes evaluated within the overlap: kind/workspace/profile id → the change's
	 * time.
	 */
	private final Map<String, Instant> seen = new java.util.HashMap<>();

	IncrementalMembership(JdbcClient jdbc, SegmentService segments, SegmentProperties properties) {
		this.jdbc = jdbc;
		this.segments = segments;
		this.batch = properties.incrementalBatch();
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
				 limit :batch""").param("batch", this.batch).query().listOfRows();
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

	@Scheduled(fixedDelayString = "${lodestar.segment.incremental-interval:500ms}")
	void reevaluateChanged() {
		Instant since = this.watermark.minus(OVERLAP);
		Instant latest = this.watermark;
		// profiles changed, then profiles merged away, each paged in (time, id) order: a
		// chunk of the pipeline stamps its profiles with one now(), and a window may hold
		// many more changes than one page
		for (String changes : List.of(CHANGED, MERGED)) {
			String kind = CHANGED.equals(changes) ? "changed/" : "merged/";
			Change after = new Change(null, NO_PROFILE, since);
			while (true) {
				List<Change> page = this.jdbc.sql(changes)
					.param("at", Timestamp.from(after.at()))
					.param("id", after.profileId())
					.param("batch", this.batch)
					.query((row, n) -> new Change(row.getString("workspace_id"),
							row.getObject("profile_id", UUID.class), row.getTimestamp("at").toInstant()))
					.list();
				// a change seen within the overlap already is not evaluated again
				List<Change> fresh = page.stream()
					.filter((change) -> !change.at().equals(this.seen.get(kind + change.key())))
					.toList();
				if (!reevaluate(fresh)) {
					// the window is read again from the same watermark on the next pass
					return;
				}
				for (Change change : fresh) {
					this.seen.put(kind + change.key(), change.at());
					if (change.at().isAfter(latest)) {
						latest = change.at();
					}
				}
				if (page.size() < this.batch) {
					break;
				}
				after = page.get(page.size() - 1);
			}
		}
		// the next window starts at the newest change seen (minus the overlap); what is
		// older than that window cannot come back
		this.watermark = latest;
		Instant forget = latest.minus(OVERLAP);
		this.seen.values().removeIf((at) -> at.isBefore(forget));
	}

	/** Every saved segment of each change's workspace, re-evaluated for its profiles. */
	private boolean reevaluate(List<Change> changes) {
		if (changes.isEmpty()) {
			return true;
		}
		Map<String, List<UUID>> byWorkspace = new LinkedHashMap<>();
		for (Change change : changes) {
			byWorkspace.computeIfAbsent(change.workspaceId(), (key) -> new ArrayList<>()).add(change.profileId());
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
		return complete;
	}

	/**
	 * A profile's change: its row updated, or it merged away, at a time.
	 */
	private record Change(String workspaceId, UUID profileId, Instant at) {

		String key() {
			return this.workspaceId + '/' + this.profileId;
		}

	}

}
