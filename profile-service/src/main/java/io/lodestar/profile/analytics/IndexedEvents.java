package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One workspace's timeline held in memory for funnels and paths, column by column: per
 * profile its events' times (microseconds since the epoch) and label codes, in the
 * timeline's order (time, then event id). A profile's two arrays are replaced together,
 * never changed in place, so a query sees each profile whole, as of some refresh.
 */
final class IndexedEvents {

	/** A profile's events in order. */
	record Timeline(long[] times, int[] codes) {

		int size() {
			return this.times.length;
		}

	}

	/**
	 * What an event is for matching and labelling: its type, its track name ({@code ""}
	 * for others) and its path label.
	 */
	record Kind(String type, String name, String label) {
	}

	final String workspace;

	final ConcurrentHashMap<UUID, Timeline> profiles = new ConcurrentHashMap<>();

	/** Serialises loads and refreshes of this workspace. */
	final ReentrantLock lock = new ReentrantLock();

	private final Map<Kind, Integer> codes = new HashMap<>();

	private volatile Kind[] kinds = new Kind[0];

	/** The database time the last refresh looked up to. */
	Instant watermark;

	/** {@code updated_at} of the profiles reloaded within the refresh's overlap. */
	final Map<UUID, Instant> seen = new HashMap<>();

	/** Merged-away profiles already removed within the refresh's overlap. */
	final Map<UUID, Instant> gone = new HashMap<>();

	volatile boolean ready;

	volatile boolean failed;

	volatile Instant refreshedAt;

	/** {@link System#nanoTime()} when a query or a status request last asked. */
	volatile long askedAt = System.nanoTime();

	IndexedEvents(String workspace) {
		this.workspace = workspace;
	}

	/** The code of a kind, given one when new. */
	synchronized int code(String type, String name, String label) {
		Kind kind = new Kind(type, name, label);
		Integer code = this.codes.get(kind);
		if (code != null) {
			return code;
		}
		int next = this.codes.size();
		this.codes.put(kind, next);
		Kind[] grown = Arrays.copyOf(this.kinds, next + 1);
		grown[next] = kind;
		this.kinds = grown;
		return next;
	}

	/** Every kind so far, by code. */
	Kind[] kinds() {
		return this.kinds;
	}

	/**
	 * Which codes an unfiltered match means — the same condition {@link EventMatch#sql}
	 * writes: a track match is the event's name alone, a page or screen match its type
	 * with no name.
	 */
	boolean[] matching(EventMatch match) {
		Kind[] all = this.kinds;
		boolean[] matches = new boolean[all.length];
		String name = (match.event() != null) ? match.event() : "";
		boolean track = "track".equals(match.effectiveType());
		for (int i = 0; i < all.length; i++) {
			matches[i] = all[i].name().equals(name) && (track || all[i].type().equals(match.effectiveType()));
		}
		return matches;
	}

	long events() {
		long events = 0;
		for (Timeline timeline : this.profiles.values()) {
			events += timeline.size();
		}
		return events;
	}

	/**
	 * Drops the events before {@code beforeMicros} (the timeline's retention pruned them
	 * from PostgreSQL).
	 */
	void pruneBefore(long beforeMicros) {
		this.profiles.replaceAll((profile, timeline) -> {
			int keep = 0;
			while (keep < timeline.size() && timeline.times()[keep] < beforeMicros) {
				keep++;
			}
			return (keep == 0) ? timeline : new Timeline(Arrays.copyOfRange(timeline.times(), keep, timeline.size()),
					Arrays.copyOfRange(timeline.codes(), keep, timeline.size()));
		});
	}

}
