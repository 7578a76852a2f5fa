package io.lodestar.etl.system;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams Spark rows into a PostgreSQL table with {@code COPY … FROM STDIN} (CSV), in the
 * caller's transaction: how batch jobs write their results, far faster than inserts.
 */
public final class CopyIn {

	private static final Logger logger = LoggerFactory.getLogger(CopyIn.class);

	private static final int FLUSH = 1 << 16;

	private CopyIn() {
	}

	/**
	 * Copies a dataset into a table: each row's first {@code columns.size() -
	 * prefix.size() - suffix.size()} values after the fixed leading and trailing values.
	 * The dataset is computed on every core first and kept (memory, else disk) while it
	 * is streamed: {@code toLocalIterator} alone would compute one partition after the
	 * other, on one core.
	 * @param connection the transaction
	 * @param table the table
	 * @param columns the table's columns, in the order they are written
	 * @param prefix values written before each row's own (may be empty)
	 * @param suffix values written after each row's own (may be empty)
	 * @param rows the rows
	 * @param skip when not negative: the index of a boolean value of each row; rows where
	 * it is false are skipped
	 * @return the rows copied and the rows skipped
	 * @throws SQLException when PostgreSQL refuses the copy
	 * @throws IOException when the copy stream fails
	 */
	public static Copied copy(Connection connection, String table, List<String> columns, List<Object> prefix,
			List<Object> suffix, Dataset<Row> rows, int skip) throws SQLException, IOException {
		Dataset<Row> computed = rows.persist(StorageLevel.MEMORY_AND_DISK_SER());
		try {
			long started = System.nanoTime();
			computed.count();
			long copying = System.nanoTime();
			Copied copied = copy(connection, table, columns, prefix, suffix, computed.toLocalIterator(), skip);
			logger.info("Copied {} rows into {}: computed in {} ms, copied in {} ms", copied.rows(), table,
					(copying - started) / 1_000_000, (System.nanoTime() - copying) / 1_000_000);
			return copied;
		}
		finally {
			computed.unpersist();
		}
	}

	private static Copied copy(Connection connection, String table, List<String> columns, List<Object> prefix,
			List<Object> suffix, Iterator<Row> rows, int skip) throws SQLException, IOException {
		String sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin with (format csv)";
		org.postgresql.copy.CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
		int own = columns.size() - prefix.size() - suffix.size();
		long count = 0;
		long skipped = 0;
		try {
			StringBuilder buffer = new StringBuilder(FLUSH + 1024);
			StringBuilder head = new StringBuilder();
			for (Object value : prefix) {
				head.append(csv(value)).append(',');
			}
			StringBuilder tail = new StringBuilder();
			for (Object value : suffix) {
				tail.append(',').append(csv(value));
			}
			tail.append('\n');
			while (rows.hasNext()) {
				Row row = rows.next();
				if (skip >= 0 && !row.getBoolean(skip)) {
					skipped++;
					continue;
				}
				buffer.append(head);
				for (int i = 0; i < own; i++) {
					if (i > 0) {
						buffer.append(',');
					}
					buffer.append(csv(row.get(i)));
				}
				buffer.append(tail);
				count++;
				if (buffer.length() > FLUSH) {
					write(copy, buffer);
				}
			}
			write(copy, buffer);
			copy.endCopy();
		}
		finally {
			if (copy.isActive()) {
				copy.cancelCopy();
			}
		}
		return new Copied(count, skipped);
	}

	/**
	 * What a copy did.
	 *
	 * @param rows the rows copied
	 * @param skipped the rows skipped
	 */
	public record Copied(long rows, long skipped) {
	}

	private static void write(org.postgresql.copy.CopyIn copy, StringBuilder buffer) throws SQLException {
		if (buffer.length() > 0) {
			byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
			copy.writeToCopy(bytes, 0, bytes.length);
			buffer.setLength(0);
		}
	}

	/**
	 * One value as CSV: null empty, text quoted, numbers plain, times ISO-8601.
	 * @param value the value
	 * @return its CSV field
	 */
	public static String csv(Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof String text) {
			// quoted, quotes doubled; NUL is not valid in PostgreSQL text
			return '"' + text.replace("\u0000", "").replace("\"", "\"\"") + '"';
		}
		if (value instanceof BigDecimal number) {
			return number.toPlainString();
		}
		if (value instanceof Timestamp timestamp) {
			return timestamp.toInstant().toString();
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate().toString();
		}
		return value.toString();
	}

}
