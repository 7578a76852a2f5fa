package io.lodestar.profile.analytics;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.profile.privacy.ProfilesErased;
import io.lodestar.profile.timeline.TimelinePruned;

/**
 * The timeline of every workspace held in memory, column by column, so that funnels and
 * paths read arrays instead of probing PostgreSQL's index once per profile and step (ADR
 * 0033). PostgreSQL stays the truth: the index is loaded from {@code profile_event} and
 * kept current by reloading each profile whose row changed ({@code updated_at}, which
 * every write of its events touches in the same transaction) and dropping each profile
 * merged away ({@code profile_merge}) — in the background every refresh interval, and
 * before each query, so a query answers from what PostgreSQL holds when it starts.
 * Erasures and the timeline's retention reach it as application events; a full reload
 * every {@code full-reload} is the backstop for anything else (another instance's
 * erasure). A workspace over {@code max-events}, or while it loads, is answered by SQL.
 */
@Component
class EventIndex implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(EventIndex.class);

	/** The columns of an event the index keeps, in the timeline's order. */
	private static final String EVENTS = """
			select e.profile_id, e.event_type, e.event_name, %s as label,
			       (extract(epoch from e.occurred_at) * 1000000)::int8 as at
			  from profile.profile_event e
			 where e.workspace_id = ? and e.profile_id = any (?)
			 order by e.profile_id, e.occurred_at, e.event_id""".formatted(PathService.LABEL);

	private final JdbcTemplate jdbc;

	private final AnalyticsProperties.Index settings;

	private final Map<String, IndexedEvents> workspaces = new ConcurrentHashMap<>();

	/** Workspaces being (re)loaded, not yet answering. */
	private final Map<String, IndexedEvents> loading = new ConcurrentHashMap<>();

	/** Workspaces waiting for the loader. */
	private final Set<String> queued = ConcurrentHashMap.newKeySet();

	private final ExecutorService loader = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "analytics-index-loader");
		thread.setDaemon(true);
		return thread;
	});

	/** A catch-up reads the changes and the events in one snapshot. */
	private final TransactionTemplate snapshot;

	EventIndex(JdbcTemplate jdbc, PlatformTransactionManager transactions, AnalyticsProperties properties) {
		this.jdbc = jdbc;
		this.settings = properties.index();
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		this.snapshot.setReadOnly(true);
	}

	/** Loads every workspace that has profiles, in the background. */
	@EventListener(ApplicationReadyEvent.class)
	void loadAll() {
		if (!this.settings.enabled()) {
			return;
		}
		this.loader.submit(() -> {
			// a skip scan over the primary key: one probe per workspace
			List<String> known = this.jdbc.queryForList("""
					with recursive w as (
					  (select workspace_id from profile.profile order by workspace_id limit 1)
					  union all
					  select (select p.workspace_id from profile.profile p where p.workspace_id > w.workspace_id
					           order by p.workspace_id limit 1) from w where w.workspace_id is not null)
					select workspace_id from w where workspace_id is not null""", String.class);
			for (String workspace : known) {
				this.workspaces.putIfAbsent(workspace, new IndexedEvents(workspace));
				submitLoad(workspace);
			}
		});
	}

	/**
	 * The workspace's index, current as of now, or empty when SQL must answer (the index
	 * is off, still loading, or over its size). A workspace seen for the first time is
	 * loaded here when small, in the background otherwise.
	 */
	Optional<IndexedEvents> current(String workspace) {
		if (!this.settings.enabled()) {
			return Optional.empty();
		}
		IndexedEvents events = this.workspaces.get(workspace);
		if (events == null) {
			IndexedEvents created = new IndexedEvents(workspace);
			events = this.workspaces.putIfAbsent(workspace, created);
			if (events == null) {
				events = created;
				if (small(workspace)) {
					load(workspace);
				}
				else {
					submitLoad(workspace);
				}
				events = this.workspaces.get(workspace);
			}
		}
		events.askedAt = System.nanoTime();
		if (!events.ready || events.failed) {
			return Optional.empty();
		}
		refresh(events, true);
		return (events.ready && !events.failed) ? Optional.of(events) : Optional.empty();
	}

	/** Status of a workspace's index: ready or not, its size, when it last caught up. */
	Map<String, Object> status(String workspace) {
		if (this.settings.enabled() && this.workspaces.putIfAbsent(workspace, new IndexedEvents(workspace)) == null) {
			// asking starts the load
			submitLoad(workspace);
		}
		IndexedEvents events = this.workspaces.get(workspace);
		if (events != null) {
			events.askedAt = System.nanoTime();
		}
		Map<String, Object> status = new java.util.LinkedHashMap<>();
		status.put("enabled", this.settings.enabled());
		status.put("ready", events != null && events.ready && !events.failed);
		status.put("loading", this.loading.containsKey(workspace) || this.queued.contains(workspace));
		status.put("overLimit", events != null && events.failed);
		status.put("profiles", (events != null) ? events.profiles.size() : 0);
		status.put("events", (events != null) ? events.events() : 0);
		status.put("refreshedAt", (events != null) ? events.refreshedAt : null);
		return status;
	}

	@Scheduled(fixedDelayString = "${lodestar.profile.analytics.index.refresh-interval:2s}", initialDelay = 2000)
	void refreshAll() {
		long idle = System.nanoTime() - this.settings.keepCurrent().toNanos();
		for (IndexedEvents events : this.workspaces.values()) {
			if (events.askedAt - idle < 0) {
				// nobody asked lately: its next question catches up
				continue;
			}
			if (events.ready && !events.failed) {
				refresh(events, true);
			}
			else if (!events.failed) {
				// a refresh that failed, or a load that did: load it again
				submitLoad(events.workspace);
			}
		}
	}

	@Scheduled(fixedDelayString = "${lodestar.profile.analytics.index.full-reload:6h}",
			initialDelayString = "${lodestar.profile.analytics.index.full-reload:6h}")
	void reloadAll() {
		long idle = System.nanoTime() - this.settings.keepCurrent().toNanos();
		this.workspaces.values()
			.stream()
			.filter((events) -> events.askedAt - idle >= 0)
			.forEach((events) -> submitLoad(events.workspace));
	}

	@EventListener
	void erased(ProfilesErased erased) {
		for (IndexedEvents events : Arrays.asList(this.workspaces.get(erased.workspaceId()),
				this.loading.get(erased.workspaceId()))) {
			if (events != null) {
				erased.profileIds().forEach(events.profiles::remove);
			}
		}
	}

	@EventListener
	void pruned(TimelinePruned pruned) {
		long before = micros(pruned.before());
		this.workspaces.values().forEach((events) -> events.pruneBefore(before));
		this.loading.values().forEach((events) -> events.pruneBefore(before));
	}

	@Override
	public void destroy() throws InterruptedException {
		this.loader.shutdownNow();
		this.loader.awaitTermination(10, TimeUnit.SECONDS);
	}

	private void submitLoad(String workspace) {
		if (this.queued.add(workspace)) {
			this.loader.submit(() -> {
				try {
					load(workspace);
				}
				finally {
					this.queued.remove(workspace);
				}
			});
		}
	}

	private boolean small(String workspace) {
		Integer rows = this.jdbc.queryForObject(
				"select count(*) from (select 1 from profile.profile_event where workspace_id = ? limit ?) x",
				Integer.class, workspace, this.settings.loadInlineBelow());
		return rows != null && rows < this.settings.loadInlineBelow();
	}

	/**
	 * (Re)loads a workspace whole into a new index — profile ids in key order, a batch at
	 * a time, their events in the timeline's order — which then catches up with what
	 * changed meanwhile (its watermark is the load's start) and replaces the one that
	 * answered until then.
	 */
	private void load(String workspace) {
		IndexedEvents events = new IndexedEvents(workspace);
		this.loading.put(workspace, events);
		try {
			long started = System.nanoTime();
			Instant from = databaseNow();
			UUID cursor = null;
			long total = 0;
			while (true) {
				List<UUID> batch = this.jdbc.queryForList("""
						select profile_id from profile.profile
						 where workspace_id = ? and (cast(? as uuid) is null or profile_id > cast(? as uuid))
						 order by profile_id limit ?""", UUID.class, workspace, cursor, cursor,
						this.settings.loadBatch());
				if (batch.isEmpty()) {
					break;
				}
				total += read(events, batch, events.profiles::put);
				if (total > this.settings.maxEvents()) {
					logger.warn("Analytics index: workspace {} has more than {} events; SQL answers its funnels "
							+ "and paths", workspace, this.settings.maxEvents());
					IndexedEvents over = new IndexedEvents(workspace);
					over.failed = true;
					this.workspaces.put(workspace, over);
					return;
				}
				cursor = batch.get(batch.size() - 1);
			}
			events.watermark = from;
			events.ready = true;
			// however much changed while it loaded: a reload would see as much change
			refresh(events, false);
			if (events.ready) {
				this.workspaces.put(workspace, events);
				logger.info("Analytics index: workspace {} loaded, {} profiles, {} events in {} ms", workspace,
						events.profiles.size(), total, (System.nanoTime() - started) / 1_000_000);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Analytics index: loading workspace {} failed; SQL answers until the next load", workspace, ex);
		}
		finally {
			this.loading.remove(workspace, events);
		}
	}

	/**
	 * Catches up with PostgreSQL: every profile whose {@code updated_at} is new within
	 * the overlap (a transaction that started before the last refresh and committed after
	 * it carries its start time) is reloaded, every profile merged away is dropped.
	 */
	private void refresh(IndexedEvents events, boolean bounded) {
		events.lock.lock();
		try {
			if (!events.ready) {
				return;
			}
			Boolean caughtUp = this.snapshot.execute((status) -> catchUp(events, bounded));
			if (!Boolean.TRUE.equals(caughtUp)) {
				events.ready = false;
				submitLoad(events.workspace);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Analytics index: refreshing workspace {} failed; reloading it", events.workspace, ex);
			events.ready = false;
		}
		finally {
			events.lock.unlock();
		}
	}

	/**
	 * One catch-up, in one snapshot (a merge committing meanwhile is seen whole or not at
	 * all); false when more changed than a bounded catch-up reloads.
	 */
	private boolean catchUp(IndexedEvents events, boolean bounded) {
		Instant now = databaseNow();
		Timestamp since = Timestamp.from(events.watermark.minus(this.settings.overlap()));
		List<UUID> changed = new ArrayList<>();
		this.jdbc.query("select profile_id, updated_at from profile.profile where workspace_id = ? and updated_at > ?",
				(ResultSet row) -> {
					UUID profile = row.getObject(1, UUID.class);
					Instant updated = row.getTimestamp(2).toInstant();
					if (!updated.equals(events.seen.put(profile, updated))) {
						changed.add(profile);
					}
				}, events.workspace, since);
		if (bounded && changed.size() > this.settings.catchUpLimit()) {
			logger.info("Analytics index: {} profiles of workspace {} changed since its last catch-up; "
					+ "reloading it whole, SQL answers meanwhile", changed.size(), events.workspace);
			return false;
		}
		this.jdbc.query(
				"select merged_profile_id, merged_at from profile.profile_merge where workspace_id = ? and merged_at > ?",
				(ResultSet row) -> {
					UUID profile = row.getObject(1, UUID.class);
					if (events.gone.put(profile, row.getTimestamp(2).toInstant()) == null) {
						events.profiles.remove(profile);
					}
				}, events.workspace, since);
		for (int i = 0; i < changed.size(); i += this.settings.loadBatch()) {
			List<UUID> batch = changed.subList(i, Math.min(changed.size(), i + this.settings.loadBatch()));
			Set<UUID> empty = new HashSet<>(batch);
			read(events, batch, (profile, timeline) -> {
				events.profiles.put(profile, timeline);
				empty.remove(profile);
			});
			empty.forEach(events.profiles::remove);
		}
		Instant horizon = since.toInstant();
		events.seen.values().removeIf((updated) -> updated.isBefore(horizon));
		events.gone.values().removeIf((merged) -> merged.isBefore(horizon));
		events.watermark = now;
		events.refreshedAt = now;
		return true;
	}

	interface Sink {

		void accept(UUID profile, IndexedEvents.Timeline timeline);

	}

	/** Reads the events of some profiles, one timeline per profile that has any. */
	private long read(IndexedEvents events, List<UUID> profiles, Sink sink) {
		Long count = this.jdbc.execute((ConnectionCallback<Long>) (connection) -> {
			Array ids = connection.createArrayOf("uuid", profiles.toArray());
			try (var statement = connection.prepareStatement(EVENTS)) {
				statement.setFetchSize(10_000);
				statement.setString(1, events.workspace);
				statement.setArray(2, ids);
				try (ResultSet row = statement.executeQuery()) {
					return collect(events, row, sink);
				}
			}
		});
		return (count != null) ? count : 0;
	}

	private static long collect(IndexedEvents events, ResultSet row, Sink sink) throws SQLException {
		long rows = 0;
		UUID current = null;
		long[] times = new long[16];
		int[] codes = new int[16];
		int size = 0;
		while (row.next()) {
			UUID profile = row.getObject(1, UUID.class);
			if (!profile.equals(current)) {
				if (current != null) {
					sink.accept(current, timeline(times, codes, size));
				}
				current = profile;
				size = 0;
			}
			if (size == times.length) {
				times = Arrays.copyOf(times, size * 2);
				codes = Arrays.copyOf(codes, size * 2);
			}
			times[size] = row.getLong(5);
			codes[size] = events.code(row.getString(2), row.getString(3), row.getString(4));
			size++;
			rows++;
		}
		if (current != null) {
			sink.accept(current, timeline(times, codes, size));
		}
		return rows;
	}

	private static IndexedEvents.Timeline timeline(long[] times, int[] codes, int size) {
		return new IndexedEvents.Timeline(Arrays.copyOf(times, size), Arrays.copyOf(codes, size));
	}

	private Instant databaseNow() {
		Timestamp now = this.jdbc.queryForObject("select clock_timestamp()", Timestamp.class);
		return (now != null) ? now.toInstant() : Instant.now();
	}

	static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
	}

}
