package io.lodestar.etl.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.etl.identity.Identifier;
import io.lodestar.etl.identity.IdentityRules;
import io.lodestar.etl.identity.ProfileMerges;

/**
 * What the identity rules need to know about an event's identifiers, read from PostgreSQL
 * in one query: the profile each belongs to, whether it is shared, and each of those
 * profiles' identifier counts per limited kind and age.
 *
 * @param owners the owner of each identifier that has one
 * @param profiles those owners' state
 */
record IdentityState(Map<Identifier, IdentityRules.Owner> owners, Map<UUID, IdentityRules.ProfileState> profiles) {

	static IdentityState read(Connection connection, IdentityRules rules, String workspaceId,
			List<Identifier> identifiers) throws SQLException {
		Map<Identifier, IdentityRules.Owner> owners = new HashMap<>();
		Map<UUID, IdentityRules.ProfileState> profiles = new HashMap<>();
		try (PreparedStatement select = connection.prepareStatement("""
				select i.kind, i.value, i.profile_id, i.shared_at is not null,
				       (extract(epoch from p.created_at) * 1000000)::bigint,
				       (select string_agg(c.kind || '=' || c.n, ',')
				          from (select x.kind, count(*) as n from profile.profile_identity x
				                 where x.workspace_id = i.workspace_id and x.profile_id = i.profile_id
				                   and x.kind = any (?::text[]) group by x.kind) c)
				  from unnest(?::text[], ?::text[]) as k(kind, value)
				  join profile.profile_identity i on i.workspace_id = ? and i.kind = k.kind and i.value = k.value
				  join profile.profile p on p.workspace_id = i.workspace_id and p.profile_id = i.profile_id""")) {
			select.setArray(1, connection.createArrayOf("text", ProfileMerges.limitedKinds(rules).toArray()));
			select.setArray(2, connection.createArrayOf("text",
					identifiers.stream().map((identifier) -> identifier.kind().code()).toArray()));
			select.setArray(3, connection.createArrayOf("text", identifiers.stream().map(Identifier::value).toArray()));
			select.setString(4, workspaceId);
			try (ResultSet result = select.executeQuery()) {
				while (result.next()) {
					Identifier identifier = new Identifier(IdentifierKind.ofCode(result.getString(1)).orElseThrow(),
							result.getString(2));
					UUID profileId = result.getObject(3, UUID.class);
					owners.put(identifier, new IdentityRules.Owner(profileId, result.getBoolean(4)));
					long age = result.getLong(5);
					String counts = result.getString(6);
					profiles.computeIfAbsent(profileId,
							(id) -> new IdentityRules.ProfileState(id, counts(counts), age));
				}
			}
		}
		return new IdentityState(owners, profiles);
	}

	/**
	 * The part of this state that concerns some of the identifiers it was read for.
	 * @param identifiers identifiers among those read
	 * @return their owners and those owners' state, as a read for them alone would answer
	 */
	IdentityState of(List<Identifier> identifiers) {
		Map<Identifier, IdentityRules.Owner> owners = new HashMap<>();
		Map<UUID, IdentityRules.ProfileState> profiles = new HashMap<>();
		for (Identifier identifier : identifiers) {
			IdentityRules.Owner owner = this.owners.get(identifier);
			if (owner != null) {
				owners.put(identifier, owner);
				profiles.put(owner.profileId(), this.profiles.get(owner.profileId()));
			}
		}
		return new IdentityState(owners, profiles);
	}

	private static Map<IdentifierKind, Integer> counts(String text) {
		Map<IdentifierKind, Integer> counts = new EnumMap<>(IdentifierKind.class);
		if (text != null) {
			for (String pair : text.split(",")) {
				int equals = pair.indexOf('=');
				IdentifierKind.ofCode(pair.substring(0, equals))
					.ifPresent((kind) -> counts.put(kind, Integer.parseInt(pair.substring(equals + 1))));
			}
		}
		return counts;
	}

}
