package io.lodestar.recommender.serving;

import java.sql.Array;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * Finds the profile a request is for in profile-service's tables (a documented contract):
 * by profile id, following {@code profile_merge} to the survivor when the id was merged
 * away, or by an identifier in {@code profile_identity} (stored as profile-service stores
 * it: emails and phones hashed). One query; the profiles merged into the survivor come
 * with it (the model may know the person under one of them).
 */
@Component
class ProfileResolver {

	private static final String RESOLVE = """
			select p.profile_id,
			       array(select m.merged_profile_id from profile.profile_merge m
			              where m.workspace_id = p.workspace_id and m.into_profile_id = p.profile_id
			              order by m.merged_at desc limit 20) as merged
			  from asked a
			  join profile.profile p
			    on p.workspace_id = :workspace
			   and p.profile_id = coalesce((select m.into_profile_id from profile.profile_merge m
			                                 where m.workspace_id = :workspace and m.merged_profile_id = a.id), a.id)
			""";

	private final JdbcClient jdbc;

	ProfileResolver(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Target> byId(String workspace, UUID profileId) {
		return this.jdbc.sql("with asked as (select cast(:id as uuid) as id) " + RESOLVE)
			.param("workspace", workspace)
			.param("id", profileId)
			.query((row, n) -> target(row.getObject(1, UUID.class), row.getArray(2)))
			.optional();
	}

	Optional<Target> byIdentifier(String workspace, IdentifierKind kind, String storedValue) {
		return this.jdbc
			.sql("""
					with asked as (select i.profile_id as id from profile.profile_identity i
					                where i.workspace_id = :workspace and i.kind = :kind and i.value = :value) """
					+ RESOLVE)
			.param("workspace", workspace)
			.param("kind", kind.code())
			.param("value", storedValue)
			.query((row, n) -> target(row.getObject(1, UUID.class), row.getArray(2)))
			.optional();
	}

	private static Target target(UUID survivor, Array merged) throws java.sql.SQLException {
		Object[] ids = (merged != null) ? (Object[]) merged.getArray() : new Object[0];
		return new Target(survivor, Arrays.stream(ids).map(UUID.class::cast).toList());
	}

	/**
	 * @param profileId the surviving profile
	 * @param merged profiles merged into it, newest first
	 */
	record Target(UUID profileId, List<UUID> merged) {
	}

}
