package io.lodestar.stack.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds a workspace with millions of profiles and events straight into profile-service's
 * tables (already migrated), deterministically: the same arguments give the same rows.
 * Every profile has {@code sessions} shopping sessions of five events in 2025 — a page,
 * {@code Product Viewed}, then with fixed odds {@code Product Added} (45 %),
 * {@code Checkout Started} (half of those) and {@code Order Completed} (60 % of those),
 * otherwise more pages and views — over 5,000 products in 50 categories; traits
 * {@code country} (5 values) and {@code plan}. Secondary indexes are dropped during the
 * load and rebuilt after it, as a bulk load into PostgreSQL should be.
 *
 * <p>
 * {@code java -cp 'local-stack/target/classes:local-stack/target/lib/*'
 * io.lodestar.stack.bench.ScaleData <jdbc-url> <user> <password> <workspace> [profiles=1000000] [sessions=4]}
 */
public final class ScaleData {

	static final int EVENTS_PER_SESSION = 5;

	private static final int CHUNK = 100_000;

	private ScaleData() {
	}

	public static void main(String[] args) throws Exception {
		int profiles = (args.length > 4) ? Integer.parseInt(args[4]) : 1_000_000;
		int sessions = (args.length > 5) ? Integer.parseInt(args[5]) : 4;
		try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
			seed(connection, args[3], profiles, sessions, System.out);
		}
	}

	/**
	 * @param connection a connection to the database with profile-service's schema
	 * @param workspace the workspace to fill (its rows are replaced)
	 * @param profiles how many profiles
	 * @param sessions sessions per profile (five events each)
	 * @param out progress
	 */
	static void seed(Connection connection, String workspace, int profiles, int sessions, PrintStream out)
			throws SQLException {
		long started = System.nanoTime();
		connection.setAutoCommit(true);
		try (Statement statement = connection.createStatement()) {
			statement.execute("set maintenance_work_mem = '1GB'");
			statement.execute("set synchronous_commit = off");
		}
		clear(connection, workspace);
		List<String> indexes = dropSecondaryIndexes(connection);
		out.printf("  … seeding %,d profiles and %,d events into workspace %s%n", profiles,
				(long) profiles * sessions * EVENTS_PER_SESSION, workspace);
		for (int from = 1; from <= profiles; from += CHUNK) {
			int to = Math.min(profiles, from + CHUNK - 1);
			insert(connection, workspace, from, to, sessions);
			out.printf("    … %,d profiles (%.0f s)%n", to, (System.nanoTime() - started) / 1e9);
		}
		out.println("  … event counts per profile");
		try (PreparedStatement counts = connection.prepareStatement("""
				insert into profile.profile_event_count (workspace_id, profile_id, event_type, event_name, event_count,
				    first_at, last_at)
				select workspace_id, profile_id, event_type, event_name, count(*), min(occurred_at), max(occurred_at)
				  from profile.profile_event where workspace_id = ? group by 1, 2, 3, 4""")) {
			counts.setString(1, workspace);
			counts.executeUpdate();
		}
		out.println("  … rebuilding " + indexes.size() + " indexes");
		try (Statement statement = connection.createStatement()) {
			for (String index : indexes) {
				statement.execute(index);
			}
			// as autovacuum would, in time: statistics, and the visibility map index-only
			// scans need
			statement.execute("vacuum analyze profile.profile");
			statement.execute("vacuum analyze profile.profile_identity");
			statement.execute("vacuum analyze profile.profile_event");
			statement.execute("vacuum analyze profile.profile_event_count");
		}
		out.printf("  ✓ seeded in %.0f s%n", (System.nanoTime() - started) / 1e9);
	}

	private static void insert(Connection connection, String workspace, int from, int to, int sessions)
			throws SQLException {
		String profile = """
				insert into profile.profile (workspace_id, profile_id, user_id, traits, first_seen_at, last_seen_at, event_count)
				select ?, md5(? || ':p:' || i)::uuid, 'u' || i,
				       jsonb_build_object('country', (array['UK','DE','FR','PT','US'])[1 + i % 5],
				                          'plan', case when i % 7 = 0 then 'pro' else 'free' end),
				       timestamptz '2025-01-01' + make_interval(days => abs(hashint4(i)) % 200),
				       timestamptz '2025-01-01' + make_interval(days => 200 + abs(hashint4(i)) % 160),
				       ? * 5
				  from generate_series(?, ?) as i""";
		try (PreparedStatement insert = connection.prepareStatement(profile)) {
			insert.setString(1, workspace);
			insert.setString(2, workspace);
			insert.setInt(3, sessions);
			insert.setInt(4, from);
			insert.setInt(5, to);
			insert.executeUpdate();
		}
		String identity = """
				insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
				select ?, 'user_id', 'u' || i, md5(? || ':p:' || i)::uuid, timestamptz '2025-01-01', timestamptz '2025-12-31'
				  from generate_series(?, ?) as i""";
		try (PreparedStatement insert = connection.prepareStatement(identity)) {
			insert.setString(1, workspace);
			insert.setString(2, workspace);
			insert.setInt(3, from);
			insert.setInt(4, to);
			insert.executeUpdate();
		}
		// per (profile, session): its start and three draws deciding how far it goes
		String events = """
				insert into profile.profile_event (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
				select ?, md5(? || ':e:' || i || ':' || s || ':' || k)::uuid, md5(? || ':p:' || i)::uuid,
				       case when kind = 'page' then 'page' else 'track' end,
				       case when kind = 'page' then '' else kind end,
				       t0 + make_interval(secs => k * 90 + abs(hashint4(i * 31 + s * 7 + k)) % 60),
				       case when kind = 'page' then jsonb_build_object('path', case k when 0 then '/' else '/category/c' || category end)
				            when kind = 'Order Completed' then jsonb_build_object('revenue', price, 'products',
				                 jsonb_build_array(jsonb_build_object('product_id', 'sku-' || sku, 'price', price, 'quantity', 1,
				                                                      'category', 'c' || category)))
				            else jsonb_build_object('product_id', 'sku-' || sku, 'category', 'c' || category, 'price', price) end
				  from (select i, s, k, t0, sku, sku % 50 as category, 5 + sku % 95 as price,
				               case k when 0 then 'page'
				                      when 1 then 'Product Viewed'
				                      when 2 then case when r2 < 45 then 'Product Added' else 'page' end
				                      when 3 then case when r2 < 45 and r3 < 50 then 'Checkout Started' else 'Product Viewed' end
				                      else case when r2 < 45 and r3 < 50 and r4 < 60 then 'Order Completed' else 'page' end
				               end as kind
				          from (select i, s, timestamptz '2025-01-01' + make_interval(days => abs(hashint4(i * 13 + s)) % 365,
				                                                                       secs => abs(hashint4(i * 17 + s)) % 86000) as t0,
				                       abs(hashint4(i * 19 + s)) % 5000 as sku,
				                       abs(hashint4(i * 23 + s)) % 100 as r2, abs(hashint4(i * 29 + s)) % 100 as r3,
				                       abs(hashint4(i * 37 + s)) % 100 as r4
				                  from generate_series(?, ?) as i, generate_series(1, ?) as s) sessions,
				               generate_series(0, 4) as k) steps""";
		try (PreparedStatement insert = connection.prepareStatement(events)) {
			insert.setString(1, workspace);
			insert.setString(2, workspace);
			insert.setString(3, workspace);
			insert.setInt(4, from);
			insert.setInt(5, to);
			insert.setInt(6, sessions);
			insert.executeUpdate();
		}
	}

	private static void clear(Connection connection, String workspace) throws SQLException {
		try (PreparedStatement delete = connection
			.prepareStatement("delete from profile.profile where workspace_id = ?")) {
			delete.setString(1, workspace);
			delete.executeUpdate();
		}
	}

	/**
	 * Drops the non-unique indexes of the tables the load writes and returns their
	 * definitions, to rebuild them after it.
	 */
	private static List<String> dropSecondaryIndexes(Connection connection) throws SQLException {
		List<String> definitions = new ArrayList<>();
		List<String> names = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
				select i.indexname, i.indexdef from pg_indexes i
				  join pg_class c on c.relname = i.indexname
				  join pg_index x on x.indexrelid = c.oid
				 where i.schemaname = 'profile'
				   and i.tablename in ('profile', 'profile_identity', 'profile_event', 'profile_event_count')
				   and not x.indisunique and not x.indisprimary""")) {
			while (rows.next()) {
				names.add(rows.getString(1));
				definitions.add(rows.getString(2));
			}
		}
		try (Statement statement = connection.createStatement()) {
			for (String name : names) {
				statement.execute("drop index profile." + name);
			}
		}
		return definitions;
	}

}
