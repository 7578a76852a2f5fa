package io.lodestar.etl.identity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * The deterministic merge rules of the identity graph, the same for the streaming job and
 * the batch recompute ({@code docs/adr/0024-identity-graph.md}).
 *
 * <p>
 * An event's identifiers are taken in priority order ({@link IdentifierKind}: user id,
 * email, phone, customer id, device id, anonymous id). Each identifier either already
 * belongs to a profile or is new. The profiles they belong to are merged into one, and
 * the new identifiers attached to it, as long as the merged profile stays within every
 * kind's {@link Limit#maxPerProfile() per-profile limit} — at most one user id, so a
 * second distinct user id never merges two known people. An identifier that would break a
 * limit is left out for this event: a new one is not attached, one that belongs to
 * another profile is <em>contested</em> (it stays where it is). A value contested by
 * {@link Limit#maxOwners() maxOwners} other profiles is <em>shared</em> (a family tablet,
 * a household mailbox): it stays with its first profile but no longer merges profiles or
 * fills in another event's profile; an event that has nothing else still lands on its
 * profile. Pure: the caller reads the state and applies the outcome.
 */
public final class IdentityRules implements Serializable {

	private static final IdentifierKind[] KINDS = IdentifierKind.values();

	private final Map<IdentifierKind, Limit> limits;

	private final Set<String> junkValues;

	/**
	 * @param limits per kind; the user id's is always one per profile
	 * @param junkValues raw values (compared trimmed, lower-case) that identify nobody,
	 * on top of the contracts' list
	 */
	public IdentityRules(Map<IdentifierKind, Limit> limits, Set<String> junkValues) {
		EnumMap<IdentifierKind, Limit> all = new EnumMap<>(IdentifierKind.class);
		for (IdentifierKind kind : KINDS) {
			all.put(kind, limits.getOrDefault(kind, Limit.DEFAULTS.get(kind)));
		}
		if (all.get(IdentifierKind.USER_ID).maxPerProfile() != 1) {
			throw new IllegalArgumentException("a profile holds exactly one user id at most");
		}
		this.limits = all;
		this.junkValues = Set.copyOf(junkValues);
	}

	/**
	 * The rules with the default limits and no extra junk values.
	 * @return the rules
	 */
	public static IdentityRules defaults() {
		return new IdentityRules(Limit.DEFAULTS, Set.of());
	}

	public Limit limit(IdentifierKind kind) {
		return this.limits.get(kind);
	}

	/**
	 * Whether a raw value is on the configured blocklist.
	 * @param raw a raw identifier value
	 * @return true when it identifies nobody
	 */
	public boolean blocked(String raw) {
		return raw != null && !this.junkValues.isEmpty()
				&& this.junkValues.contains(raw.strip().toLowerCase(java.util.Locale.ROOT));
	}

	/**
	 * Decides what an event's identifiers do.
	 * @param identifiers the event's identifiers (stored form, junk already removed)
	 * @param owners the profile each identifier that has one belongs to
	 * @param profiles the state of each of those profiles
	 * @return the outcome
	 */
	public Resolution decide(List<Identifier> identifiers, Map<Identifier, Owner> owners,
			Map<UUID, ProfileState> profiles) {
		int[] counts = new int[KINDS.length];
		Set<UUID> group = new LinkedHashSet<>();
		List<Identifier> attach = new ArrayList<>();
		List<Identifier> touch = new ArrayList<>();
		List<Contest> contested = new ArrayList<>();
		List<Identifier> dropped = new ArrayList<>();
		List<Identifier> shared = new ArrayList<>();
		for (Identifier identifier : new TreeSet<>(identifiers)) {
			Owner owner = owners.get(identifier);
			int kind = identifier.kind().ordinal();
			if (owner == null) {
				counts[kind]++;
				if (fits(counts)) {
					attach.add(identifier);
				}
				else {
					counts[kind]--;
					dropped.add(identifier);
				}
			}
			else if (group.contains(owner.profileId())) {
				touch.add(identifier);
			}
			else if (owner.shared()) {
				shared.add(identifier);
			}
			else {
				ProfileState state = profiles.get(owner.profileId());
				if (state == null) {
					throw new IllegalArgumentException("no state for the owner of an identifier");
				}
				add(counts, state.counts(), 1);
				if (fits(counts)) {
					group.add(owner.profileId());
					touch.add(identifier);
				}
				else {
					add(counts, state.counts(), -1);
					contested.add(new Contest(identifier, owner.profileId()));
				}
			}
		}
		if (!group.isEmpty() && !touch.isEmpty()
				&& touch.stream().allMatch((identifier) -> identifier.kind() == IdentifierKind.DEVICE_ID)) {
			// reached through a device id alone: the event lands there, but a new
			// anonymous id (a fresh app install) is not taken as that person's — the
			// device
			// may be a family tablet nobody has contested yet
			for (java.util.Iterator<Identifier> it = attach.iterator(); it.hasNext();) {
				Identifier identifier = it.next();
				if (identifier.kind() == IdentifierKind.ANONYMOUS_ID) {
					it.remove();
					dropped.add(identifier);
				}
			}
		}
		boolean fallback = false;
		if (group.isEmpty() && attach.isEmpty() && !shared.isEmpty()) {
			// nothing but shared identifiers: the event stays with the first owner
			Identifier first = shared.get(0);
			group.add(owners.get(first).profileId());
			for (Identifier identifier : shared) {
				if (owners.get(identifier).profileId().equals(owners.get(first).profileId())) {
					touch.add(identifier);
				}
			}
			fallback = true;
		}
		UUID survivor = group.stream()
			.map(profiles::get)
			.min(Comparator.comparing((ProfileState state) -> state.count(IdentifierKind.USER_ID) == 0)
				.thenComparingLong(ProfileState::age)
				.thenComparing(ProfileState::profileId))
			.map(ProfileState::profileId)
			.orElse(null);
		List<UUID> merged = group.stream().filter((id) -> !id.equals(survivor)).toList();
		return new Resolution(survivor, merged, attach, touch, contested, dropped, fallback);
	}

	/**
	 * Whether two profiles may be merged (re-checked under their row locks before a merge
	 * is applied).
	 * @param a one profile's identifier counts
	 * @param b the other's
	 * @return true when the merged profile keeps every limit
	 */
	public boolean mayMerge(Map<IdentifierKind, Integer> a, Map<IdentifierKind, Integer> b) {
		int[] counts = new int[KINDS.length];
		add(counts, a, 1);
		add(counts, b, 1);
		return fits(counts);
	}

	/**
	 * Whether a contested value becomes shared.
	 * @param kind its kind
	 * @param contenders how many other profiles have contested it
	 * @return true when it no longer resolves
	 */
	public boolean shared(IdentifierKind kind, long contenders) {
		return contenders >= this.limits.get(kind).maxOwners();
	}

	private boolean fits(int[] counts) {
		for (IdentifierKind kind : KINDS) {
			int max = this.limits.get(kind).maxPerProfile();
			if (max > 0 && counts[kind.ordinal()] > max) {
				return false;
			}
		}
		return true;
	}

	private static void add(int[] counts, Map<IdentifierKind, Integer> more, int sign) {
		for (Map.Entry<IdentifierKind, Integer> entry : more.entrySet()) {
			counts[entry.getKey().ordinal()] += sign * entry.getValue();
		}
	}

	/**
	 * A kind's limits.
	 *
	 * @param maxPerProfile the most values of the kind one profile holds (0: no limit)
	 * @param maxOwners how many other profiles may contest a value before it is shared
	 * (at least 1)
	 */
	public record Limit(int maxPerProfile, int maxOwners) implements Serializable {

		/** The defaults: see {@code application.yml}. */
		public static final Map<IdentifierKind, Limit> DEFAULTS = Map.of(IdentifierKind.USER_ID, new Limit(1, 1),
				IdentifierKind.EMAIL_SHA256, new Limit(5, 1), IdentifierKind.PHONE_SHA256, new Limit(3, 1),
				IdentifierKind.CUSTOMER_ID, new Limit(5, 1), IdentifierKind.DEVICE_ID, new Limit(10, 1),
				IdentifierKind.ANONYMOUS_ID, new Limit(0, 1));

		public Limit {
			if (maxPerProfile < 0 || maxOwners < 1) {
				throw new IllegalArgumentException("maxPerProfile >= 0 and maxOwners >= 1");
			}
		}

	}

	/**
	 * The profile an identifier belongs to.
	 *
	 * @param profileId the profile
	 * @param shared whether the value is shared (resolves nothing by itself)
	 */
	public record Owner(UUID profileId, boolean shared) implements Serializable {
	}

	/**
	 * What the rules need to know of a profile.
	 *
	 * @param profileId the profile
	 * @param counts identifiers it holds per limited kind (user id 0 or 1)
	 * @param age its creation order (older first)
	 */
	public record ProfileState(UUID profileId, Map<IdentifierKind, Integer> counts, long age) implements Serializable {

		public int count(IdentifierKind kind) {
			return this.counts.getOrDefault(kind, 0);
		}

	}

	/**
	 * An identifier left with its profile because the event's profile could not take it.
	 *
	 * @param identifier the identifier
	 * @param owner the profile it stays with
	 */
	public record Contest(Identifier identifier, UUID owner) implements Serializable {
	}

	/**
	 * What an event's identifiers do.
	 *
	 * @param profileId the profile the event lands on, null for a new profile
	 * @param merged profiles merged into it
	 * @param attach new identifiers it gets
	 * @param touch identifiers it (or a profile merged into it) already holds
	 * @param contested identifiers of other profiles the event carried but could not take
	 * @param dropped new identifiers left out by a per-profile limit
	 * @param fallback whether the event carried only shared identifiers and landed on
	 * their first owner
	 */
	public record Resolution(UUID profileId, List<UUID> merged, List<Identifier> attach, List<Identifier> touch,
			List<Contest> contested, List<Identifier> dropped, boolean fallback) implements Serializable {
	}

}
