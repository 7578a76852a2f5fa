package io.lodestar.etl.identity;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * The identity graph in memory: events applied one after another with
 * {@link IdentityRules}, exactly as the streaming job applies them to PostgreSQL — the
 * batch recompute replays each connected component through one of these, and the rules'
 * unit tests use it. Profile ids are sequence numbers ({@code 0…0-n}), older first.
 */
public final class IdentityGraph {

	private final IdentityRules rules;

	private final Map<Identifier, IdentityRules.Owner> owners = new HashMap<>();

	private final Map<UUID, Set<Identifier>> identities = new HashMap<>();

	private final Map<UUID, Long> ages = new HashMap<>();

	private final Map<Identifier, Set<UUID>> contenders = new HashMap<>();

	private final Map<UUID, UUID> mergedInto = new HashMap<>();

	private final List<Merge> merges = new ArrayList<>();

	private long next;

	public IdentityGraph(IdentityRules rules) {
		this.rules = rules;
	}

	/**
	 * Applies one event's identifiers.
	 * @param identifiers the event's identifiers
	 * @return the profile the event lands on (it may be merged into another later:
	 * {@link #current(UUID)})
	 */
	public UUID apply(List<Identifier> identifiers) {
		Map<Identifier, IdentityRules.Owner> known = new HashMap<>();
		Map<UUID, IdentityRules.ProfileState> states = new HashMap<>();
		for (Identifier identifier : identifiers) {
			IdentityRules.Owner owner = this.owners.get(identifier);
			if (owner != null) {
				known.put(identifier, owner);
				states.computeIfAbsent(owner.profileId(), this::state);
			}
		}
		IdentityRules.Resolution resolution = this.rules.decide(identifiers, known, states);
		UUID profile = resolution.profileId();
		if (profile == null) {
			profile = new UUID(0, this.next++);
			this.ages.put(profile, profile.getLeastSignificantBits());
			this.identities.put(profile, new LinkedHashSet<>());
		}
		for (UUID merged : resolution.merged()) {
			merge(merged, profile, identifiers, known);
		}
		for (Identifier identifier : resolution.attach()) {
			this.owners.put(identifier, new IdentityRules.Owner(profile, false));
			this.identities.get(profile).add(identifier);
		}
		for (IdentityRules.Contest contest : resolution.contested()) {
			Set<UUID> others = this.contenders.computeIfAbsent(contest.identifier(), (key) -> new HashSet<>());
			others.add(profile);
			if (this.rules.shared(contest.identifier().kind(), others.size())) {
				IdentityRules.Owner owner = this.owners.get(contest.identifier());
				this.owners.put(contest.identifier(), new IdentityRules.Owner(owner.profileId(), true));
			}
		}
		return profile;
	}

	private void merge(UUID merged, UUID into, List<Identifier> identifiers,
			Map<Identifier, IdentityRules.Owner> known) {
		for (Identifier identifier : this.identities.remove(merged)) {
			IdentityRules.Owner owner = this.owners.get(identifier);
			this.owners.put(identifier, new IdentityRules.Owner(into, owner.shared()));
			this.identities.get(into).add(identifier);
		}
		for (Set<UUID> others : this.contenders.values()) {
			if (others.remove(merged)) {
				others.add(into);
			}
		}
		this.ages.remove(merged);
		this.mergedInto.put(merged, into);
		String reason = "anonymous_identified";
		for (Identifier identifier : identifiers) {
			IdentityRules.Owner owner = known.get(identifier);
			if (owner != null && owner.profileId().equals(merged)) {
				reason = MergeReason.of(identifier.kind());
				break;
			}
		}
		this.merges.add(new Merge(merged, into, reason));
	}

	private IdentityRules.ProfileState state(UUID profile) {
		Map<IdentifierKind, Integer> counts = new EnumMap<>(IdentifierKind.class);
		for (Identifier identifier : this.identities.get(profile)) {
			if (this.rules.limit(identifier.kind()).maxPerProfile() > 0) {
				counts.merge(identifier.kind(), 1, Integer::sum);
			}
		}
		return new IdentityRules.ProfileState(profile, counts, this.ages.get(profile));
	}

	/**
	 * The profile a profile id stands for now, following merges.
	 * @param profile a profile id {@link #apply} returned
	 * @return the surviving profile
	 */
	public UUID current(UUID profile) {
		UUID current = profile;
		UUID next;
		while ((next = this.mergedInto.get(current)) != null) {
			current = next;
		}
		return current;
	}

	/**
	 * @return every identifier and the profile it belongs to
	 */
	public Map<Identifier, IdentityRules.Owner> owners() {
		return Map.copyOf(this.owners);
	}

	/**
	 * @return the merges in the order they happened
	 */
	public List<Merge> merges() {
		return List.copyOf(this.merges);
	}

	/**
	 * @return the profiles that exist now
	 */
	public Set<UUID> profiles() {
		return Set.copyOf(this.identities.keySet());
	}

	/**
	 * One merge.
	 *
	 * @param merged the profile merged away
	 * @param into the profile it was merged into
	 * @param reason why (the kind of identifier that linked them)
	 */
	public record Merge(UUID merged, UUID into, String reason) {
	}

}
