package io.lodestar.etl.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what of a partition of connector records is not an event: an
 * {@code ad-campaign-day} is upserted into {@code profile.campaign_day} by record id (a
 * re-pulled day replaces itself; an older pull never overwrites a newer one), an unusable
 * record goes to {@code etl.rejected_event} with the reason. Orders and customers are
 * events: {@link ProfileWriter} applies them. One transaction per chunk.
 */
final class ConnectorRecordWriter implements ForeachPartitionFunction<Row> {

	private static final Logger log = LoggerFactory.getLogger(ConnectorRecordWriter.class);

	private final JdbcTarget target;

	private final int chunkSize;

	ConnectorRecordWriter(JdbcTarget target, int chunkSize) {
		this.target = target;
		this.chunkSize = chunkSize;
	}

	@Override
	public void call(Iterator<Row> rows) throws Exception {
		List<Row> chunk = new ArrayList<>(this.chunkSize);
		try (Connection connection = this.target.connect()) {
			while (rows.hasNext()) {
				chunk.add(rows.next());
				if (chunk.size() == this.chunkSize || !rows.hasNext()) {
					try {
						for (Row row : chunk) {
							apply(connection, row);
						}
						connection.commit();
					}
					catch (SQLException ex) {
						connection.rollback();
						throw ex;
					}
					chunk.clear();
				}
			}
		}
	}

	private static void apply(Connection connection, Row row) throws SQLException {
		ConnectorRecords.Read read = ConnectorRecords.read(row.getAs("raw"));
		if (read.rejection() != null) {
			ProfileWriter.reject(connection, row, IncomingEvent.Parsed.rejected(read.workspaceId(), read.rejection()));
		}
		else if (read.campaignDay() != null) {
			upsert(connection, read.campaignDay());
		}
		else if (read.reportRow() != null) {
			upsert(connection, read.reportRow());
		}
	}

	private static void upsert(Connection connection, ConnectorRecords.ReportRow row) throws SQLException {
		try (PreparedStatement upsert = connection.prepareStatement("""
				insert into profile.analytics_report_row
				    (workspace_id, record_id, source, connector_id, property_id, day, dimensions, metrics, currency,
				     time_zone, pulled_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, now())
				on conflict (workspace_id, record_id) do update
				   set source = excluded.source, connector_id = excluded.connector_id,
				       property_id = excluded.property_id, day = excluded.day, dimensions = excluded.dimensions,
				       metrics = excluded.metrics, currency = excluded.currency, time_zone = excluded.time_zone,
				       pulled_at = excluded.pulled_at, updated_at = now()
				 where analytics_report_row.pulled_at <= excluded.pulled_at""")) {
			upsert.setString(1, row.workspaceId());
			upsert.setObject(2, row.recordId());
			upsert.setString(3, row.source());
			upsert.setString(4, row.connectorId());
			upsert.setString(5, row.propertyId());
			upsert.setObject(6, row.day());
			upsert.setString(7, row.dimensions());
			upsert.setString(8, row.metrics());
			upsert.setString(9, row.currency());
			upsert.setString(10, row.timeZone());
			upsert.setTimestamp(11, Timestamp.from(row.pulledAt()));
			upsert.executeUpdate();
		}
		log.debug("Report row {} of workspace {} upserted", row.recordId(), row.workspaceId());
	}

	private static void upsert(Connection connection, ConnectorRecords.CampaignDay day) throws SQLException {
		try (PreparedStatement upsert = connection.prepareStatement("""
				insert into profile.campaign_day
				    (workspace_id, record_id, source, account_id, campaign_id, campaign_name, day, currency, spend,
				     impressions, clicks, conversions, conversion_value, pulled_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
				on conflict (workspace_id, record_id) do update
				   set source = excluded.source, account_id = excluded.account_id, campaign_id = excluded.campaign_id,
				       campaign_name = excluded.campaign_name, day = excluded.day, currency = excluded.currency,
				       spend = excluded.spend, impressions = excluded.impressions, clicks = excluded.clicks,
				       conversions = excluded.conversions, conversion_value = excluded.conversion_value,
				       pulled_at = excluded.pulled_at, updated_at = now()
				 where campaign_day.pulled_at <= excluded.pulled_at""")) {
			upsert.setString(1, day.workspaceId());
			upsert.setObject(2, day.recordId());
			upsert.setString(3, day.source());
			upsert.setString(4, day.accountId());
			upsert.setString(5, day.campaignId());
			upsert.setString(6, day.campaignName());
			upsert.setObject(7, day.day());
			upsert.setString(8, day.currency());
			upsert.setBigDecimal(9, day.spend());
			upsert.setLong(10, day.impressions());
			upsert.setLong(11, day.clicks());
			upsert.setBigDecimal(12, day.conversions());
			upsert.setBigDecimal(13, day.conversionValue());
			upsert.setTimestamp(14, Timestamp.from(day.pulledAt()));
			upsert.executeUpdate();
		}
		log.debug("Campaign day {} of workspace {} upserted", day.recordId(), day.workspaceId());
	}

}
