package io.lodestar.recommender.serving;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * Finds the profile a request is for in profile-service's tables (a documented contract):
 * by profile id, following {@code profile_merge} to the survivor when the id was merged
 * away, or by an identifier in {@code profile_identity} (stored as profile-service stores
 * it: emails and phones hashed). One query; the profiles merged into the survivor come
 * with it (the model may know the person under one of them), and so do the items the
 * survivor bought since a given time ({@link CustomerHistory}'s purchases, in the same
 * round trip: the serving path of a known customer is this one query).
 */
@Component
class ProfileResolver {

	private static final String RESOLVE = """
			select p.profile_id,
			       array(select m.merged_profile_id from profile.profile_merge m
			              where m.workspace_id = p.workspace_id and m.into_profile_id = p.profile_id
			              order by m.merged_at desc limit 20) as merged,
			       array(select coalesce(item ->> 'product_id', item ->> 'productId')
			               from (select e.properties from profile.profile_event e
			                      where e.workspace_id = p.workspace_id and e.profile_id = p.profile_id
			                        and e.occurred_at >= :since and e.event_type = 'track'
			                        and e.event_name = 'Order Completed'
			                      order by e.occurred_at desc limit :orders) e
			              cross join lateral jsonb_array_elements(
			                case when jsonb_typeof(e.properties -> 'products') = 'array'
			                     then e.properties -> 'products' else '[]'::jsonb end) item) as bought
			  from asked a
			  join profile.profile p
			    on p.workspace_id = :workspace
			   and p.profile_id = coalesce((select m.into_profile_id from profile.profile_merge m
			                                 where m.workspace_id = :workspace and m.merged_profile_id = a.id), a.id)
			""";

	/** A time no purchase is after: no purchases asked for. */
	private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

	private final JdbcClient jdbc;

	ProfileResolver(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param since purchases from then on come with the answer (null: none)
	 */
	Optional<Target> byId(String workspace, UUID profileId, Instant since) {
		return this.jdbc.sql("with asked as (select cast(:id as uuid) as id) " + RESOLVE)
			.param("workspace", workspace)
			.param("id", profileId)
			.param("since", Timestamp.from((since != null) ? since : NEVER))
			.param("orders", CustomerHistory.MAX_ORDERS)
			.query((row, n) -> target(row))
			.optional();
	}

	/**
	 * @param since purchases from then on come with the answer (null: none)
	 */
	Optional<Target> byIdentifier(String workspace, IdentifierKind kind, String storedValue, Instant since) {
		return this.jdbc
			.sql("""
					with asked as (select i.profile_id as id from profile.profile_identity i
					                where i.workspace_id = :workspace and i.kind = :kind and i.value = :value) """
					+ RESOLVE)
			.param("workspace", workspace)
			.param("kind", kind.code())
			.param("value", storedValue)
			.param("since", Timestamp.from((since != null) ? since : NEVER))
			.param("orders", CustomerHistory.MAX_ORDERS)
			.query((row, n) -> target(row))
			.optional();
	}

	private static Target target(ResultSet row) throws SQLException {
		Array merged = row.getArray(2);
		Object[] ids = (merged != null) ? (Object[]) merged.getArray() : new Object[0];
		Array bought = row.getArray(3);
		Set<String> items = new HashSet<>();
		if (bought != null) {
			for (Object item : (Object[]) bought.getArray()) {
				if (item != null) {
					items.add((String) item);
				}
			}
		}
		return new Target(row.getObject(1, UUID.class), Arrays.stream(ids).map(UUID.class::cast).toList(), items);
	}

	/**
	 * @param profileId the surviving profile
	 * @param merged profiles merged into it, newest first
	 * @param boughtSince items it bought since the time asked for
	 */
	record Target(UUID profileId, List<UUID> merged, Set<String> boughtSince) {
	}

}
