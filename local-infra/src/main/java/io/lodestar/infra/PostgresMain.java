package io.lodestar.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a real PostgreSQL server from the embedded binaries on 127.0.0.1, its data kept in
 * {@code --data-dir} across restarts, and makes sure the application's role and database
 * exist.
 *
 * <p>
 * Options: {@code --port}, {@code --data-dir}, {@code --ready-file}, optional
 * {@code --database}, {@code --user}, {@code --password} (each default {@code lodestar}).
 */
public final class PostgresMain {

	private PostgresMain() {
	}

	public static void main(String[] argv) throws Exception {
		Args args = new Args(argv);
		int port = args.getInt("port");
		Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
		ReadyMarker ready = new ReadyMarker(Path.of(args.get("ready-file")));
		ready.clear();
		String database = args.get("database", "lodestar");
		String user = args.get("user", "lodestar");
		String password = args.get("password", "lodestar");
		Files.createDirectories(dataDir);

		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setPort(port)
			.setDataDirectory(dataDir.resolve("pgdata"))
			.setOverrideWorkingDirectory(dataDir.resolve("work").toFile())
			.setCleanDataDirectory(false)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("max_connections", "300")
			.setServerConfig("fsync", "on")
			.start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			ready.clear();
			try {
				java.util.Optional<ProcessHandle> postmaster = postmaster(dataDir.resolve("pgdata"));
				postgres.close();
				// pg_ctl returns before the daemonised postmaster is gone: wait for it
				if (postmaster.isPresent()) {
					postmaster.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
				}
			}
			catch (Exception ex) {
				System.err.println("LODESTAR postgres did not stop cleanly: " + ex.getMessage());
			}
			stopped.countDown();
		}, "postgres-shutdown"));

		try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
			ensureRoleAndDatabase(connection, database, user, password);
		}
		ready.markReady("jdbc:postgresql://127.0.0.1:" + port + "/" + database);
		System.out.println("LODESTAR postgres ready on 127.0.0.1:" + port);
		stopped.await();
	}

	private static java.util.Optional<ProcessHandle> postmaster(Path pgdata) {
		try {
			long pid = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).trim());
			return ProcessHandle.of(pid);
		}
		catch (Exception ex) {
			return java.util.Optional.empty();
		}
	}

	private static void ensureRoleAndDatabase(Connection connection, String database, String user, String password)
			throws Exception {
		requireIdentifier(database);
		requireIdentifier(user);
		try (Statement statement = connection.createStatement()) {
			if (!exists(connection, "select 1 from pg_roles where rolname = ?", user)) {
				statement.execute("create role " + user + " login password '" + password.replace("'", "''") + "'");
			}
			if (!exists(connection, "select 1 from pg_database where datname = ?", database)) {
				statement.execute("create database " + database + " owner " + user);
			}
		}
	}

	private static boolean exists(Connection connection, String sql, String name) throws Exception {
		try (PreparedStatement query = connection.prepareStatement(sql)) {
			query.setString(1, name);
			try (ResultSet rows = query.executeQuery()) {
				return rows.next();
			}
		}
	}

	private static void requireIdentifier(String name) {
		if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
		}
	}

}
