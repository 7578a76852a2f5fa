package io.lodestar.profile.analytics;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.Problems;

/**
 * Runs analytics queries read-only, under a statement timeout, so that one heavy question
 * never holds the serving database: a query over the limit is cancelled and answered with
 * a 503 problem.
 */
@Component
@EnableConfigurationProperties(AnalyticsProperties.class)
class AnalyticsQueries {

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate readOnly;

	private final long timeoutMs;

	AnalyticsQueries(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions,
			AnalyticsProperties properties) {
		this.jdbc = jdbc;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
		this.timeoutMs = properties.statementTimeout().toMillis();
	}

	<T> List<T> query(String sql, MapSqlParameterSource parameters, RowMapper<T> rows) {
		return run(() -> this.jdbc.query(sql, parameters, rows));
	}

	<T> T run(Supplier<T> work) {
		try {
			return this.readOnly.execute((status) -> {
				this.jdbc.getJdbcTemplate().execute("set local statement_timeout = " + this.timeoutMs);
				return work.get();
			});
		}
		catch (DataAccessException ex) {
			if (!(ex instanceof QueryTimeoutException) && !cancelled(ex)) {
				throw ex;
			}
			throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE,
					Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "analytics-timeout", "Query took too long",
							"the query ran longer than " + this.timeoutMs
									+ " ms and was cancelled: narrow the date range or the steps"),
					ex);
		}
	}

	/** PostgreSQL's query_canceled, which a statement timeout raises. */
	private static boolean cancelled(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	NamedParameterJdbcTemplate jdbc() {
		return this.jdbc;
	}

}
