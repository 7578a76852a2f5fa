package io.lodestar.etl.rebuild;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import org.springframework.stereotype.Component;

import io.lodestar.etl.system.CopyIn;
import io.lodestar.etl.traits.TraitStrategies;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

/**
 * Writes rebuilt profiles in one PostgreSQL transaction: the rebuilt state is copied into
 * temporary tables, compared with what the profiles hold (the drift, per part), and —
 * unless it is a dry run — put in their place: each rebuilt profile's event count, first
 * and last seen and traits, its counts by event type and name, computed traits and
 * affinities, favourites chosen again. Identify traits fold in PostgreSQL with the same
 * strategy SQL streaming applies ({@link TraitStrategies#apply}), as a temporary
 * aggregate. Profiles the lake has events of but PostgreSQL does not hold are skipped and
 * counted; profiles without lake events are left alone. Rows go into the profile tables
 * in profile order, so that each index grows where it grew last instead of all over.
 */
@Component
class ProfileRebuildWriter {

	/** The rebuilt parts, as {@link ProfileRebuild} computes them. */
	record Rebuilt(Dataset<Row> profiles, Dataset<Row> eventCounts, Dataset<Row> computed, Dataset<Row> affinities,
			Dataset<Row> traits) {
	}

	private static final String STAGE = """
			create temporary table rebuild_profile (
			    profile_id uuid primary key, events bigint, first_at timestamptz, last_at timestamptz) on commit drop;
			create temporary table rebuild_count (
			    profile_id uuid, event_type text, event_name text, event_count bigint, first_at timestamptz,
			    last_at timestamptz) on commit drop;
			create temporary table rebuild_computed (
			    profile_id uuid primary key, sessions bigint, orders bigint, revenue numeric(18, 4),
			    first_purchase_at timestamptz, last_purchase_at timestamptz, acquisition_source text,
			    acquisition_medium text, acquisition_campaign text, acquisition_channel text,
			    acquired_at timestamptz) on commit drop;
			create temporary table rebuild_affinity (
			    profile_id uuid, kind text, value text, quantity numeric, revenue numeric(18, 4),
			    last_at timestamptz) on commit drop;
			create temporary table rebuild_identify (profile_id uuid, seq bigint, traits jsonb) on commit drop;
			""";

	private final DataSource dataSource;

	private final TraitStrategies strategies;

	ProfileRebuildWriter(DataSource dataSource, TraitsProperties traits) {
		this.dataSource = dataSource;
		this.strategies = traits.traits().strategies();
	}

	/**
	 * @param workspace the workspace
	 * @param rebuilt the rebuilt parts
	 * @param dryRun compare only
	 * @return what was found and done: profiles rebuilt, skipped, left alone, and the
	 * drift per part
	 */
	Map<String, Object> write(String workspace, Rebuilt rebuilt, boolean dryRun) throws SQLException, IOException {
		Map<String, Object> summary = new LinkedHashMap<>();
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				try (Statement statement = connection.createStatement()) {
					statement.execute(STAGE);
					// a pooled connection keeps pg_temp's functions of an earlier run
					statement.execute("drop aggregate if exists pg_temp.rebuild_fold_traits(jsonb)");
					statement.execute(foldFunction());
					statement.execute("""
							create aggregate pg_temp.rebuild_fold_traits(jsonb) (
							    sfunc = pg_temp.rebuild_apply_traits, stype = jsonb, initcond = '{}')""");
				}
				long started = System.nanoTime();
				stage(connection, rebuilt);
				long staged = System.nanoTime();
				summary.put("profilesSkipped", update(connection,
						"""
								delete from rebuild_profile r where not exists (
								    select 1 from profile.profile p where p.workspace_id = ? and p.profile_id = r.profile_id)""",
						workspace));
				for (String table : List.of("rebuild_count", "rebuild_computed", "rebuild_affinity",
						"rebuild_identify")) {
					update(connection, "delete from " + table
							+ " t where not exists (select 1 from rebuild_profile r where r.profile_id = t.profile_id)");
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("""
							create temporary table rebuild_traits on commit drop as
							select profile_id, pg_temp.rebuild_fold_traits(traits order by seq) as traits
							  from rebuild_identify group by profile_id""");
					statement.execute("analyze rebuild_profile; analyze rebuild_count; analyze rebuild_computed;"
							+ " analyze rebuild_affinity; analyze rebuild_traits");
				}
				summary.put("profilesRebuilt", count(connection, "select count(*) from rebuild_profile"));
				summary.put("profilesWithoutLakeEvents", count(connection, """
						select count(*) from profile.profile p where p.workspace_id = ?
						   and not exists (select 1 from rebuild_profile r where r.profile_id = p.profile_id)""",
						workspace));
				long folded = System.nanoTime();
				summary.put("drift", drift(connection, workspace));
				long compared = System.nanoTime();
				if (!dryRun) {
					replace(connection, workspace);
				}
				long replaced = System.nanoTime();
				summary.put("stepMs", Map.of("stage", millis(started, staged), "fold", millis(staged, folded), "drift",
						millis(folded, compared), "replace", millis(compared, replaced)));
				summary.put("dryRun", dryRun);
				if (dryRun) {
					connection.rollback();
				}
				else {
					connection.commit();
				}
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		return summary;
	}

	private static long millis(long from, long to) {
		return (to - from) / 1_000_000;
	}

	/** The strategies' SQL as a function of the traits held and the incoming ones. */
	private String foldFunction() {
		return """
				create or replace function pg_temp.rebuild_apply_traits(held jsonb, incoming jsonb) returns jsonb
				language sql immutable as $$ select %s $$""".formatted(this.strategies.apply("held", "incoming"));
	}

	private static void stage(Connection connection, Rebuilt rebuilt) throws SQLException, IOException {
		copy(connection, "rebuild_profile", List.of("profile_id", "events", "first_at", "last_at"), rebuilt.profiles());
		copy(connection, "rebuild_count",
				List.of("profile_id", "event_type", "event_name", "event_count", "first_at", "last_at"),
				rebuilt.eventCounts());
		copy(connection, "rebuild_computed",
				List.of("profile_id", "sessions", "orders", "revenue", "first_purchase_at", "last_purchase_at",
						"acquisition_source", "acquisition_medium", "acquisition_campaign", "acquisition_channel",
						"acquired_at"),
				rebuilt.computed());
		copy(connection, "rebuild_affinity", List.of("profile_id", "kind", "value", "quantity", "revenue", "last_at"),
				rebuilt.affinities());
		copy(connection, "rebuild_identify", List.of("profile_id", "seq", "traits"), rebuilt.traits());
	}

	private static void copy(Connection connection, String table, List<String> columns, Dataset<Row> rows)
			throws SQLException, IOException {
		CopyIn.copy(connection, table, columns, List.of(), List.of(), rows, -1);
	}

	/**
	 * Rebuilt profiles whose stored part differs from the lake's, per part.
	 */
	private static Map<String, Long> drift(Connection connection, String workspace) throws SQLException {
		Map<String, Long> drift = new LinkedHashMap<>();
		drift.put("eventCount", count(connection,
				"""
						select count(*) from rebuild_profile r join profile.profile p
						    on p.workspace_id = ? and p.profile_id = r.profile_id
						 where (p.event_count, p.first_seen_at, p.last_seen_at) is distinct from (r.events, r.first_at, r.last_at)""",
				workspace));
		drift.put("traits", count(connection, """
				select count(*) from rebuild_profile r join profile.profile p
				    on p.workspace_id = ? and p.profile_id = r.profile_id
				  left join rebuild_traits t on t.profile_id = r.profile_id
				 where p.traits is distinct from coalesce(t.traits, '{}'::jsonb)""", workspace));
		drift.put("eventsByType", count(connection,
				"""
						select count(distinct coalesce(r.profile_id, c.profile_id)) from rebuild_count r
						  full join (select c.* from profile.profile_event_count c join rebuild_profile p
						               on c.workspace_id = ? and c.profile_id = p.profile_id) c
						    on c.profile_id = r.profile_id and c.event_type = r.event_type and c.event_name = r.event_name
						 where (c.event_count, c.first_at, c.last_at) is distinct from (r.event_count, r.first_at, r.last_at)""",
				workspace));
		drift.put("computed", count(connection, """
				select count(*) from rebuild_profile p
				  left join rebuild_computed r on r.profile_id = p.profile_id
				  left join profile.profile_computed c on c.workspace_id = ? and c.profile_id = p.profile_id
				 where (coalesce(c.sessions, 0), coalesce(c.orders, 0), coalesce(c.revenue, 0), c.first_purchase_at,
				        c.last_purchase_at, c.acquisition_source, c.acquisition_medium, c.acquisition_campaign,
				        c.acquisition_channel, c.acquired_at)
				       is distinct from
				       (coalesce(r.sessions, 0), coalesce(r.orders, 0), coalesce(r.revenue, 0), r.first_purchase_at,
				        r.last_purchase_at, r.acquisition_source, r.acquisition_medium, r.acquisition_campaign,
				        r.acquisition_channel, r.acquired_at)""", workspace));
		drift.put("affinities", count(connection, """
				select count(distinct coalesce(r.profile_id, a.profile_id)) from rebuild_affinity r
				  full join (select a.* from profile.profile_affinity a join rebuild_profile p
				               on a.workspace_id = ? and a.profile_id = p.profile_id) a
				    on a.profile_id = r.profile_id and a.kind = r.kind and a.value = r.value
				 where (a.quantity, a.revenue, a.last_at) is distinct from (r.quantity, r.revenue, r.last_at)""",
				workspace));
		return drift;
	}

	private static void replace(Connection connection, String workspace) throws SQLException {
		update(connection, """
				update profile.profile p
				   set event_count = r.events, first_seen_at = r.first_at, last_seen_at = r.last_at,
				       traits = coalesce(t.traits, '{}'::jsonb), updated_at = now()
				  from rebuild_profile r left join rebuild_traits t on t.profile_id = r.profile_id
				 where p.workspace_id = ? and p.profile_id = r.profile_id""", workspace);
		for (String table : List.of("profile.profile_event_count", "profile.profile_affinity",
				"profile.profile_computed")) {
			update(connection, "delete from " + table + " t where t.workspace_id = ?"
					+ " and t.profile_id in (select profile_id from rebuild_profile)", workspace);
		}
		update(connection, """
				insert into profile.profile_event_count
				    (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
				select ?, profile_id, event_type, event_name, event_count, first_at, last_at from rebuild_count
				 order by profile_id, event_type, event_name""", workspace);
		update(connection, """
				insert into profile.profile_computed
				    (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at, last_purchase_at,
				     acquisition_source, acquisition_medium, acquisition_campaign, acquisition_channel, acquired_at)
				select ?, profile_id, sessions, orders, revenue, first_purchase_at, last_purchase_at,
				       acquisition_source, acquisition_medium, acquisition_campaign, acquisition_channel, acquired_at
				  from rebuild_computed order by profile_id""", workspace);
		update(connection, """
				insert into profile.profile_affinity (workspace_id, profile_id, kind, value, quantity, revenue, last_at)
				select ?, profile_id, kind, value, quantity, revenue, last_at from rebuild_affinity
				 order by profile_id, kind, value""", workspace);
		update(connection,
				Traits.favouritesStatement()
						+ " where c.workspace_id = ? and c.profile_id in (select profile_id from rebuild_affinity)",
				workspace);
	}

	private static long update(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			return statement.executeUpdate();
		}
	}

	private static long count(Connection connection, String sql, Object... parameters) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

}
