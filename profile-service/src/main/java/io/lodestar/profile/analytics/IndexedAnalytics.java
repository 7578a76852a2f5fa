package io.lodestar.profile.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Funnels and paths computed on the in-memory timeline ({@link IndexedEvents}) with the
 * same definitions as the SQL of {@link FunnelService} and {@link PathService}, which
 * answer whatever needs the events' properties (property filters, breakdowns).
 */
final class IndexedAnalytics {

	private IndexedAnalytics() {
	}

	/** Whether the index can answer this funnel: no property filters, no breakdown. */
	static boolean answers(FunnelRequest request) {
		if (request.breakdown() != null || request.steps().stream().anyMatch(IndexedAnalytics::filtered)) {
			return false;
		}
		return request.exclusions() == null || request.exclusions().stream().noneMatch((e) -> filtered(e.match()));
	}

	/** Whether the index can answer this path question: an anchor without filters. */
	static boolean answers(PathRequest request) {
		return !filtered(request.anchor());
	}

	private static boolean filtered(EventMatch match) {
		return match.filters() != null && !match.filters().isEmpty();
	}

	/**
	 * Counts per step, the profiles excluded and the medians of the times between steps:
	 * the overall row of {@link FunnelService}'s query.
	 */
	static Funnel funnel(IndexedEvents events, FunnelRequest request, Duration window, DateRange range) {
		int n = request.steps().size();
		boolean[][] steps = new boolean[n][];
		for (int k = 0; k < n; k++) {
			steps[k] = events.matching(request.steps().get(k));
		}
		List<FunnelRequest.Exclusion> exclusions = (request.exclusions() != null) ? request.exclusions() : List.of();
		boolean[][] excluding = new boolean[exclusions.size()][];
		int[] after = new int[exclusions.size()];
		int[] before = new int[exclusions.size()];
		for (int x = 0; x < exclusions.size(); x++) {
			excluding[x] = events.matching(exclusions.get(x).match());
			after[x] = request.afterStep(exclusions.get(x)) - 1;
			before[x] = request.beforeStep(exclusions.get(x)) - 1;
		}
		long from = EventIndex.micros(range.from());
		long to = EventIndex.micros(range.to());
		long span = Math.multiplyExact(window.toSeconds(), 1_000_000L);
		long[] counts = new long[n];
		Doubles[] gaps = new Doubles[n];
		for (int k = 1; k < n; k++) {
			gaps[k] = new Doubles();
		}
		long excluded = 0;
		long[] t = new long[n];
		for (IndexedEvents.Timeline timeline : events.profiles.values()) {
			long[] times = timeline.times();
			int[] codes = timeline.codes();
			int first = first(times, codes, steps[0], from, to);
			if (first < 0) {
				continue;
			}
			t[0] = times[first];
			long end = t[0] + span;
			int reached = 1;
			int i = first + 1;
			while (reached < n) {
				boolean[] step = steps[reached];
				int found = -1;
				for (; i < times.length && times[i] <= end; i++) {
					if (times[i] > t[reached - 1] && codes[i] < step.length && step[codes[i]]) {
						found = i;
						break;
					}
				}
				if (found < 0) {
					break;
				}
				t[reached++] = times[found];
				i = found + 1;
			}
			if (excluded(times, codes, excluding, after, before, t, reached, end)) {
				excluded++;
				continue;
			}
			for (int k = 0; k < reached; k++) {
				counts[k]++;
				if (k > 0) {
					gaps[k].add((t[k] - t[k - 1]) / 1_000_000.0);
				}
			}
		}
		Double[] medians = new Double[n];
		for (int k = 1; k < n; k++) {
			medians[k] = gaps[k].median();
		}
		return new Funnel(counts, medians, excluded);
	}

	/** The overall answer of a funnel. */
	record Funnel(long[] counts, Double[] medians, long excluded) {
	}

	/** A profile's first event of {@code match} in {@code [from, to)}, or -1. */
	private static int first(long[] times, int[] codes, boolean[] match, long from, long to) {
		int i = Arrays.binarySearch(times, from);
		if (i < 0) {
			i = -i - 1;
		}
		else {
			while (i > 0 && times[i - 1] == from) {
				i--;
			}
		}
		for (; i < times.length && times[i] < to; i++) {
			if (codes[i] < match.length && match[codes[i]]) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * {@link FunnelService}'s exclusion: an excluding event after the exclusion's first
	 * step and before its second (or the window's end when that was not reached).
	 */
	private static boolean excluded(long[] times, int[] codes, boolean[][] excluding, int[] after, int[] before,
			long[] t, int reached, long end) {
		for (int x = 0; x < excluding.length; x++) {
			if (after[x] >= reached) {
				continue;
			}
			long lo = t[after[x]];
			long hi = (before[x] < reached) ? t[before[x]] : end;
			for (int i = 0; i < times.length && times[i] < hi; i++) {
				if (times[i] > lo && codes[i] < excluding[x].length && excluding[x][codes[i]]) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Each distinct path and how many profiles took it: {@link PathService}'s query and
	 * collapsing, on the index.
	 */
	static Map<List<String>, Long> paths(IndexedEvents events, PathRequest request, DateRange range) {
		boolean[] anchor = events.matching(request.anchor());
		Labels labels = new Labels(events);
		long from = EventIndex.micros(range.from());
		long to = EventIndex.micros(range.to());
		int depth = request.effectiveDepth();
		int take = request.collapsing() ? depth * 2 : depth;
		boolean forward = request.forward();
		Map<Key, long[]> counts = new HashMap<>();
		int[] path = new int[depth + 1];
		for (IndexedEvents.Timeline timeline : events.profiles.values()) {
			int[] codes = timeline.codes();
			int start = first(timeline.times(), codes, anchor, from, to);
			if (start < 0) {
				continue;
			}
			int size = 0;
			path[size++] = labels.of(codes[start]);
			for (int j = 1; j <= take; j++) {
				int i = forward ? start + j : start - j;
				if (i < 0 || i >= codes.length) {
					break;
				}
				int label = labels.of(codes[i]);
				if (request.collapsing() && label == path[size - 1]) {
					continue;
				}
				if (size > depth) {
					break;
				}
				path[size++] = label;
			}
			counts.computeIfAbsent(new Key(Arrays.copyOf(path, size)), (key) -> new long[1])[0]++;
		}
		Map<List<String>, Long> paths = new HashMap<>();
		counts.forEach((key, count) -> {
			List<String> named = new ArrayList<>(key.labels().length);
			for (int label : key.labels()) {
				named.add(labels.names.get(label));
			}
			paths.merge(named, count[0], Long::sum);
		});
		return paths;
	}

	/**
	 * Label numbers of kinds: one kind has one label, but one label may have several
	 * kinds (paths compare labels). Kinds a concurrent refresh adds are numbered when
	 * met.
	 */
	private static final class Labels {

		private final IndexedEvents events;

		private final Map<String, Integer> ids = new HashMap<>();

		final List<String> names = new ArrayList<>();

		private int[] byCode = new int[0];

		Labels(IndexedEvents events) {
			this.events = events;
			grow();
		}

		int of(int code) {
			if (code >= this.byCode.length) {
				grow();
			}
			return this.byCode[code];
		}

		private void grow() {
			IndexedEvents.Kind[] kinds = this.events.kinds();
			int known = this.byCode.length;
			this.byCode = Arrays.copyOf(this.byCode, kinds.length);
			for (int c = known; c < kinds.length; c++) {
				this.byCode[c] = this.ids.computeIfAbsent(kinds[c].label(), (label) -> {
					this.names.add(label);
					return this.names.size() - 1;
				});
			}
		}

	}

	private record Key(int[] labels) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && Arrays.equals(this.labels, key.labels);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.labels);
		}

		@Override
		public String toString() {
			return Arrays.toString(this.labels);
		}

	}

	/** A growing list of doubles and its median as {@code percentile_cont(0.5)}. */
	private static final class Doubles {

		private double[] values = new double[64];

		private int size;

		void add(double value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
		}

		Double median() {
			if (this.size == 0) {
				return null;
			}
			double[] sorted = Arrays.copyOf(this.values, this.size);
			Arrays.sort(sorted);
			double position = 0.5 * (this.size - 1);
			int lower = (int) Math.floor(position);
			int upper = (int) Math.ceil(position);
			return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
		}

	}

}
