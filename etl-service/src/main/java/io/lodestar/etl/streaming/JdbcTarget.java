package io.lodestar.etl.streaming;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * How Spark tasks reach PostgreSQL: plain JDBC, serialisable to the executors.
 *
 * @param url the JDBC URL
 * @param username the user
 * @param password the password
 */
record JdbcTarget(String url, String username, String password) implements Serializable {

	Connection connect() throws SQLException {
		Connection connection = DriverManager.getConnection(this.url, this.username, this.password);
		connection.setAutoCommit(false);
		return connection;
	}

	@Override
	public String toString() {
		return "JdbcTarget[" + this.url + "]";
	}

}
