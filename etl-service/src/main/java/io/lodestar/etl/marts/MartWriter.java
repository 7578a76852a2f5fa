package io.lodestar.etl.marts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import org.springframework.stereotype.Component;

import io.lodestar.etl.system.CopyIn;

/**
 * Replaces a workspace's marts for a range of days in one PostgreSQL transaction: every
 * mart's rows of those days (and the rejected rows) deleted, the new ones copied in
 * ({@code COPY … FROM STDIN}, computed by Spark, then streamed one partition at a time),
 * the days recorded in {@code profile.mart_day}. Readers see the old days or the new
 * ones, never a mix; a rerun replaces, a range leaves the other days alone.
 */
@Component
class MartWriter {

	/** A mart's table, its columns after workspace_id, and the rows in that order. */
	record Mart(String table, List<String> columns, Dataset<Row> rows) {
	}

	private final DataSource dataSource;

	MartWriter(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * @param customerDays rows of {@code mart_customer_day}'s columns (after
	 * workspace_id, without run_id) and a last column {@code known}: rows of profiles
	 * that no longer exist are skipped and counted (as are those of a profile erased
	 * during the run, removed after the copy)
	 * @param marts the other marts (rows without workspace_id and run_id)
	 * @param rejected rows of {@link Marts#REJECTED}
	 * @param days events per day of the range (every day of the range)
	 * @param milliseconds receives the time each table took (computed by Spark and
	 * copied)
	 * @return rows written per table, and {@code customerDaysSkipped}
	 */
	Map<String, Long> replace(String workspace, UUID runId, LocalDate from, LocalDate to, Mart customerDays,
			List<Mart> marts, Dataset<Row> rejected, Map<LocalDate, Long> days, Map<String, Long> milliseconds)
			throws SQLException, IOException {
		Map<String, Long> written = new LinkedHashMap<>();
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				for (String table : List.of("profile.mart_customer_day", "profile.mart_sales_product_day",
						"profile.mart_sales_category_day", "profile.mart_sales_brand_day", "profile.mart_campaign_day",
						"profile.mart_kiosk_day", "profile.mart_day", "etl.mart_rejected_row")) {
					try (PreparedStatement delete = connection
						.prepareStatement("delete from " + table + " where workspace_id = ? and day between ? and ?")) {
						delete.setString(1, workspace);
						delete.setObject(2, from);
						delete.setObject(3, to);
						delete.executeUpdate();
					}
				}
				long clock = System.nanoTime();
				long[] skipped = new long[1];
				long customers = copy(connection, "profile.mart_customer_day", workspace, runId, customerDays.columns(),
						customerDays.rows(), skipped);
				long gone = checkProfiles(connection, workspace, from, to);
				written.put("mart_customer_day", customers - gone);
				written.put("customerDaysSkipped", skipped[0] + gone);
				clock = lap(milliseconds, "mart_customer_day", clock);
				for (Mart mart : marts) {
					String name = mart.table().substring(mart.table().indexOf('.') + 1);
					written.put(name,
							copy(connection, mart.table(), workspace, runId, mart.columns(), mart.rows(), null));
					clock = lap(milliseconds, name, clock);
				}
				written.put("rejected", copy(connection, "etl.mart_rejected_row", workspace, runId,
						List.of("event_id", "day", "line", "mart", "reason", "value"), rejected, null));
				lap(milliseconds, "rejected", clock);
				try (PreparedStatement day = connection.prepareStatement(
						"insert into profile.mart_day (workspace_id, day, run_id, events) values (?, ?, ?, ?)")) {
					for (Map.Entry<LocalDate, Long> entry : days.entrySet()) {
						day.setString(1, workspace);
						day.setObject(2, entry.getKey());
						day.setObject(3, runId);
						day.setLong(4, entry.getValue());
						day.addBatch();
					}
					day.executeBatch();
				}
				connection.commit();
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		return written;
	}

	/**
	 * What the customer days' foreign key did, once per profile instead of once per row
	 * (profile-service V21): the profiles of the days just copied are locked as the key
	 * check locked them — an erasure from now on waits for this transaction, and its
	 * trigger then deletes the days — and the days of profiles deleted since the run read
	 * them are removed.
	 * @return the customer days removed
	 */
	static long checkProfiles(Connection connection, String workspace, LocalDate from, LocalDate to)
			throws SQLException {
		List<UUID> gone = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("""
				with written as (
				  select distinct m.profile_id from profile.mart_customer_day m
				   where m.workspace_id = ? and m.day between ? and ?),
				held as (
				  select p.profile_id from profile.profile p join written w on w.profile_id = p.profile_id
				   where p.workspace_id = ? for key share of p)
				select profile_id from written except select profile_id from held""")) {
			statement.setString(1, workspace);
			statement.setObject(2, from);
			statement.setObject(3, to);
			statement.setString(4, workspace);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					gone.add(result.getObject(1, UUID.class));
				}
			}
		}
		if (gone.isEmpty()) {
			return 0;
		}
		try (PreparedStatement delete = connection.prepareStatement("""
				delete from profile.mart_customer_day
				 where workspace_id = ? and day between ? and ? and profile_id = any (?)""")) {
			delete.setString(1, workspace);
			delete.setObject(2, from);
			delete.setObject(3, to);
			delete.setArray(4, connection.createArrayOf("uuid", gone.toArray()));
			return delete.executeUpdate();
		}
	}

	private static long lap(Map<String, Long> milliseconds, String table, long since) {
		long now = System.nanoTime();
		milliseconds.put(table, (now - since) / 1_000_000);
		return now;
	}

	/**
	 * Copies rows into a table as CSV, with the workspace first and the run id last.
	 * @param skipped when not null: rows whose column after {@code columns} is false are
	 * skipped and counted here
	 */
	private static long copy(Connection connection, String table, String workspace, UUID runId, List<String> columns,
			Dataset<Row> rows, long[] skipped) throws SQLException, IOException {
		List<String> all = new ArrayList<>();
		all.add("workspace_id");
		all.addAll(columns);
		all.add("run_id");
		CopyIn.Copied copied = CopyIn.copy(connection, table, all, List.of(workspace), List.of(runId), rows,
				(skipped != null) ? columns.size() : -1);
		if (skipped != null) {
			skipped[0] += copied.skipped();
		}
		return copied.rows();
	}

}
