package io.lodestar.etl.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.etl.traits.Traits;

/**
 * Merges one profile into another in PostgreSQL, in the caller's transaction — the one
 * merge the streaming job and the batch recompute share. Identities, contested values,
 * event counts, first/last seen, traits (by their strategies; latest-wins keys take the
 * survivor's value), the timeline, campaign touches, computed traits and earlier merge
 * records move to the survivor; the merge is recorded in {@code profile.profile_merge};
 * the merged profile is deleted.
 */
public final class ProfileMerges {

	private static final Logger log = LoggerFactory.getLogger(ProfileMerges.class);

	/**
	 * Statements run in order, each with (into, workspace, merged). The survivor's traits
	 * win; further statements are appended by later features (computed traits).
	 */
	private static final String PROFILE = """
			update profile.profile p
			   set event_count = p.event_count + m.event_count,
			       first_seen_at = least(p.first_seen_at, m.first_seen_at),
			       last_seen_at = greatest(p.last_seen_at, m.last_seen_at),
			       traits = %s,
			       updated_at = now()
			  from profile.profile m
			 where p.profile_id = ? and p.workspace_id = m.workspace_id
			   and m.workspace_id = ? and m.profile_id = ?""";

	private static final List<String> STATEMENTS = List.of("""
			insert into profile.profile_event_count
			    (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
			select workspace_id, ?, event_type, event_name, event_count, first_at, last_at
			  from profile.profile_event_count where workspace_id = ? and profile_id = ?
			on conflict (workspace_id, profile_id, event_type, event_name) do update
			   set event_count = profile_event_count.event_count + excluded.event_count,
			       first_at = least(profile_event_count.first_at, excluded.first_at),
			       last_at = greatest(profile_event_count.last_at, excluded.last_at)""",
			"update profile.profile_identity set profile_id = ? where workspace_id = ? and profile_id = ?", """
					insert into profile.identity_contender (workspace_id, kind, value, profile_id, first_seen_at)
					select workspace_id, kind, value, ?, first_seen_at
					  from profile.identity_contender where workspace_id = ? and profile_id = ?
					on conflict do nothing""",
			"update profile.profile_event set profile_id = ? where workspace_id = ? and profile_id = ?",
			"update profile.campaign_touch set profile_id = ? where workspace_id = ? and profile_id = ?",
			"update profile.profile_merge set into_profile_id = ? where workspace_id = ? and into_profile_id = ?");

	private ProfileMerges() {
	}

	/**
	 * Merges {@code merged} into {@code into} unless that breaks the rules' limits now:
	 * both rows are locked and their identifiers counted again first. The profile that
	 * holds a user id survives, whichever was asked for.
	 * @param connection the transaction
	 * @param rules the limits
	 * @param workspaceId the workspace
	 * @param merged the profile to merge away
	 * @param into the profile to keep
	 * @param reason the {@link MergeReason}
	 * @return the survivor, or empty when the merge was not done (a limit, or one of the
	 * two is gone)
	 * @throws SQLException on a database error
	 */
	public static Optional<UUID> merge(Connection connection, IdentityRules rules, Traits traits, String workspaceId,
			UUID merged, UUID into, String reason) throws SQLException {
		if (merged.equals(into)) {
			return Optional.of(into);
		}
		Map<UUID, String> users = new java.util.HashMap<>();
		try (PreparedStatement lock = connection.prepareStatement("""
				select profile_id, user_id from profile.profile
				 where workspace_id = ? and profile_id = any (?) order by profile_id for update""")) {
			lock.setString(1, workspaceId);
			lock.setArray(2, connection.createArrayOf("uuid", new Object[] { merged, into }));
			try (ResultSet result = lock.executeQuery()) {
				while (result.next()) {
					users.put(result.getObject(1, UUID.class), result.getString(2));
				}
			}
		}
		if (users.size() < 2) {
			return Optional.empty();
		}
		Map<UUID, Map<IdentifierKind, Integer>> counts = counts(connection, rules, workspaceId, List.of(merged, into));
		if (!rules.mayMerge(counts.get(merged), counts.get(into))) {
			log.info("Not merging profile {} into {} in workspace {}: the merged profile would break a limit", merged,
					into, workspaceId);
			return Optional.empty();
		}
		UUID survivor = into;
		UUID gone = merged;
		if (users.get(into) == null && users.get(merged) != null) {
			survivor = merged;
			gone = into;
		}
		if (users.get(gone) != null) {
			// two user ids: the limit above already refused it
			return Optional.empty();
		}
		List<String> statements = new ArrayList<>();
		statements.add(PROFILE
			.formatted(traits.strategies().merge("p.traits", "m.traits", "m.first_seen_at < p.first_seen_at")));
		statements.addAll(STATEMENTS);
		statements.addAll(traits.mergeStatements());
		for (String sql : statements) {
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setObject(1, survivor);
				statement.setString(2, workspaceId);
				statement.setObject(3, gone);
				statement.executeUpdate();
			}
		}
		try (PreparedStatement record = connection.prepareStatement("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, ?)""")) {
			record.setString(1, workspaceId);
			record.setObject(2, gone);
			record.setObject(3, survivor);
			record.setString(4, reason);
			record.executeUpdate();
		}
		try (PreparedStatement delete = connection
			.prepareStatement("delete from profile.profile where workspace_id = ? and profile_id = ?")) {
			delete.setString(1, workspaceId);
			delete.setObject(2, gone);
			delete.executeUpdate();
		}
		traits.afterMerge(connection, workspaceId, survivor);
		log.info("Merged profile {} into {} in workspace {} ({})", gone, survivor, workspaceId, reason);
		return Optional.of(survivor);
	}

	/**
	 * Identifiers per limited kind of some profiles.
	 * @param connection the transaction
	 * @param rules the limits (which kinds are counted)
	 * @param workspaceId the workspace
	 * @param profiles the profiles
	 * @return counts per profile (every profile asked for present)
	 * @throws SQLException on a database error
	 */
	public static Map<UUID, Map<IdentifierKind, Integer>> counts(Connection connection, IdentityRules rules,
			String workspaceId, List<UUID> profiles) throws SQLException {
		Map<UUID, Map<IdentifierKind, Integer>> counts = new java.util.HashMap<>();
		for (UUID profile : profiles) {
			counts.put(profile, new EnumMap<>(IdentifierKind.class));
		}
		try (PreparedStatement select = connection.prepareStatement("""
				select profile_id, kind, count(*) from profile.profile_identity
				 where workspace_id = ? and profile_id = any (?) and kind = any (?)
				 group by profile_id, kind""")) {
			select.setString(1, workspaceId);
			select.setArray(2, connection.createArrayOf("uuid", profiles.toArray()));
			select.setArray(3, connection.createArrayOf("text", limitedKinds(rules).toArray()));
			try (ResultSet result = select.executeQuery()) {
				while (result.next()) {
					counts.get(result.getObject(1, UUID.class))
						.put(IdentifierKind.ofCode(result.getString(2)).orElseThrow(), result.getInt(3));
				}
			}
		}
		return counts;
	}

	/**
	 * @param rules the limits
	 * @return the codes of the kinds that have a per-profile limit
	 */
	public static List<String> limitedKinds(IdentityRules rules) {
		List<String> kinds = new ArrayList<>();
		for (IdentifierKind kind : IdentifierKind.values()) {
			if (rules.limit(kind).maxPerProfile() > 0) {
				kinds.add(kind.code());
			}
		}
		return kinds;
	}

}
