package io.lodestar.etl.marts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer days' profiles checked once per profile (profile-service V21) keep what
 * the foreign key guaranteed, on the real PostgreSQL: a deleted profile's days go with
 * it; an erasure that starts while a marts transaction holds its profiles waits for it
 * and then removes the days; one that deleted the profile before the check leaves the
 * marts transaction to remove them. No day of a deleted profile is left in any order.
 */
class CustomerDayProfilesIT {

	private static final LocalDate DAY = LocalDate.parse("2026-04-01");

	private final String workspace = "days-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void schema() {
		TestInfrastructure.get();
		OwnerSchema.profile();
	}

	private static Connection connect() throws SQLException {
		TestInfrastructure infra = TestInfrastructure.get();
		return DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
	}

	private UUID profile(Connection connection) throws SQLException {
		UUID id = UUID.randomUUID();
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)
				values (?, ?, now(), now())""")) {
			insert.setString(1, this.workspace);
			insert.setObject(2, id);
			insert.executeUpdate();
		}
		return id;
	}

	private void day(Connection connection, UUID profile) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into profile.mart_customer_day (workspace_id, profile_id, day, events, tracks, pages, screens,
				    identifies, sessions, orders, revenue, units, first_event_at, last_event_at, run_id)
				values (?, ?, ?, 1, 1, 0, 0, 0, 1, 0, 0, 0, now(), now(), gen_random_uuid())""")) {
			insert.setString(1, this.workspace);
			insert.setObject(2, profile);
			insert.setObject(3, DAY);
			insert.executeUpdate();
		}
	}

	private long days(Connection connection, UUID profile) throws SQLException {
		try (PreparedStatement count = connection.prepareStatement(
				"select count(*) from profile.mart_customer_day where workspace_id = ? and profile_id = ?")) {
			count.setString(1, this.workspace);
			count.setObject(2, profile);
			try (var result = count.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private void erase(Connection connection, UUID profile) throws SQLException {
		try (PreparedStatement delete = connection
			.prepareStatement("delete from profile.profile where workspace_id = ? and profile_id = ?")) {
			delete.setString(1, this.workspace);
			delete.setObject(2, profile);
			assertThat(delete.executeUpdate()).isEqualTo(1);
		}
	}

	private static long lockWaits(Connection connection) throws SQLException {
		try (var statement = connection.createStatement();
				var result = statement.executeQuery(
						"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")) {
			result.next();
			return result.getLong(1);
		}
	}

	@Test
	void aDeletedProfileTakesItsDaysAlong() throws SQLException {
		try (Connection connection = connect()) {
			UUID ada = profile(connection);
			UUID bob = profile(connection);
			day(connection, ada);
			day(connection, bob);
			erase(connection, ada);
			assertThat(days(connection, ada)).isZero();
			assertThat(days(connection, bob)).isEqualTo(1);
		}
	}

	@Test
	void daysOfAProfileDeletedBeforeTheCheckAreRemovedByIt() throws Exception {
		try (Connection marts = connect(); Connection erasure = connect(); Connection observer = connect()) {
			UUID kept = profile(observer);
			UUID erased = profile(observer);
			UUID ghost = UUID.randomUUID();
			erasure.setAutoCommit(false);
			erase(erasure, erased);
			marts.setAutoCommit(false);
			day(marts, kept);
			day(marts, erased);
			day(marts, ghost);
			// the check waits for the erasure's row lock, then finds the profile gone
			CompletableFuture<Long> removed = CompletableFuture.supplyAsync(() -> {
				try {
					return MartWriter.checkProfiles(marts, this.workspace, DAY, DAY);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> lockWaits(observer) > 0);
			assertThat(removed).isNotDone();
			erasure.commit();
			assertThat(removed.get(10, TimeUnit.SECONDS)).isEqualTo(2);
			marts.commit();
			assertThat(days(observer, kept)).isEqualTo(1);
			assertThat(days(observer, erased)).isZero();
			assertThat(days(observer, ghost)).isZero();
		}
	}

	@Test
	void anErasureAfterTheCheckWaitsForTheMartsAndThenRemovesTheDays() throws Exception {
		try (Connection marts = connect(); Connection erasure = connect(); Connection observer = connect()) {
			UUID erased = profile(observer);
			marts.setAutoCommit(false);
			day(marts, erased);
			assertThat(MartWriter.checkProfiles(marts, this.workspace, DAY, DAY)).isZero();
			CompletableFuture<Void> erasing = CompletableFuture.runAsync(() -> {
				try {
					erase(erasure, erased);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			// the profile is held for the marts transaction, as its foreign key held it
			await().atMost(Duration.ofSeconds(10)).until(() -> lockWaits(observer) > 0);
			assertThat(erasing).isNotDone();
			marts.commit();
			erasing.get(10, TimeUnit.SECONDS);
			assertThat(days(observer, erased)).isZero();
		}
	}

}
