package io.lodestar.etl.lake;

import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.springframework.stereotype.Component;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * The lake's events table {@value #EVENTS}: Iceberg format 2, partitioned by workspace
 * and day, deletes as merge-on-read (an erasure writes delete files instead of rewriting
 * data files), the last 50 metadata files kept. Created when absent; compacted and its
 * snapshots expired by the {@code lake} job ({@link LakeMaintenanceJob}).
 */
@Component
public class LakeTable {

	/** The events table in the {@code lodestar} Hadoop catalog. */
	public static final String EVENTS = "lodestar.cdp.events";

	/** The events table's columns, in order. */
	public static final StructType SCHEMA = new StructType().add("workspace_id", DataTypes.StringType, false)
		.add("event_id", DataTypes.StringType, false)
		.add("profile_id", DataTypes.StringType)
		.add("type", DataTypes.StringType)
		.add("name", DataTypes.StringType)
		.add("user_id", DataTypes.StringType)
		.add("anonymous_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType, false)
		.add("received_at", DataTypes.TimestampType)
		.add("source_id", DataTypes.StringType)
		.add("properties", DataTypes.StringType)
		.add("context", DataTypes.StringType)
		.add("traits", DataTypes.StringType);

	/** The snapshot summary entry naming the streaming micro-batch a commit added. */
	public static final String BATCH_PROPERTY = "lodestar.streaming-batch";

	private static final Map<String, String> METADATA_CLEANUP = Map.of("write.metadata.delete-after-commit.enabled",
			"true", "write.metadata.previous-versions-max", "50");

	private final SparkSession spark;

	LakeTable(SparkSession spark) {
		this.spark = spark;
		createIfAbsent();
	}

	private void createIfAbsent() {
		this.spark.sql("CREATE NAMESPACE IF NOT EXISTS lodestar.cdp");
		this.spark.sql("""
				CREATE TABLE IF NOT EXISTS %s (
				  workspace_id string NOT NULL, event_id string NOT NULL, profile_id string,
				  type string, name string, user_id string, anonymous_id string,
				  occurred_at timestamp NOT NULL, received_at timestamp, source_id string,
				  properties string, context string, traits string)
				USING iceberg
				PARTITIONED BY (workspace_id, days(occurred_at))
				TBLPROPERTIES ('format-version' = '2', 'write.delete.mode' = 'merge-on-read',
				  'write.update.mode' = 'merge-on-read', 'write.merge.mode' = 'merge-on-read')""".formatted(EVENTS));
		// every commit writes a new metadata file: keep the last ones only (tables
		// created before this setting get it here)
		Table table = table();
		if (!table.properties().entrySet().containsAll(METADATA_CLEANUP.entrySet())) {
			UpdateProperties update = table.updateProperties();
			METADATA_CLEANUP.forEach(update::set);
			update.commit();
		}
	}

	/**
	 * Adds the events the table does not hold yet, by (workspace_id, event_id): a
	 * replayed micro-batch or a redelivered event adds nothing. One Iceberg commit.
	 * @param events rows of {@link #SCHEMA}
	 */
	public void mergeNew(Dataset<Row> events) {
		SparkSession session = events.sparkSession();
		Dataset<Row> incoming = events.dropDuplicates("workspace_id", "event_id").persist();
		try {
			Row bounds = incoming.agg(min("occurred_at"), max("occurred_at")).first();
			if (bounds.isNullAt(0)) {
				return;
			}
			String view = "lake_incoming_" + Long.toUnsignedString(System.nanoTime());
			incoming.createOrReplaceTempView(view);
			try {
				// the time bounds prune the target to the batch's days
				session.sql("""
						MERGE INTO %s t USING %s s
						ON t.workspace_id = s.workspace_id AND t.event_id = s.event_id
						   AND t.occurred_at BETWEEN timestamp'%s' AND timestamp'%s'
						WHEN NOT MATCHED THEN INSERT *""".formatted(EVENTS, view, bounds.getTimestamp(0).toInstant(),
						bounds.getTimestamp(1).toInstant()));
			}
			finally {
				session.catalog().dropTempView(view);
			}
		}
		finally {
			incoming.unpersist();
		}
	}

	/**
	 * Appends one streaming micro-batch's events, once: the commit carries the batch's
	 * key in its snapshot summary ({@value #BATCH_PROPERTY}), and a batch replayed after
	 * a crash that followed its commit finds it and adds nothing. No read of the table's
	 * data files, so its cost does not grow with the table (ADR 0031).
	 * @param events rows of {@link #SCHEMA}, the events the batch applied first, each
	 * once
	 * @param batch the batch's key, {@code <query id>:<batch id>}
	 * @return whether this call committed them (false: an earlier attempt had)
	 */
	public boolean appendBatch(Dataset<Row> events, String batch) {
		if (committed(batch)) {
			return false;
		}
		try {
			events.writeTo(EVENTS).option("snapshot-property." + BATCH_PROPERTY, batch).append();
		}
		catch (NoSuchTableException ex) {
			throw new IllegalStateException("the lake's events table is missing", ex);
		}
		return true;
	}

	/**
	 * Whether the lake holds the commit of a batch: walks the snapshots back from the
	 * newest until the batch's key, or an earlier batch of its query (a query's batches
	 * commit in order, so the batch came after it).
	 * @param batch {@code <query id>:<batch id>}
	 */
	boolean committed(String batch) {
		int colon = batch.lastIndexOf(':');
		String query = batch.substring(0, colon + 1);
		long batchId = Long.parseLong(batch.substring(colon + 1));
		Table table = table();
		for (Snapshot snapshot = table.currentSnapshot(); snapshot != null; snapshot = (snapshot.parentId() != null)
				? table.snapshot(snapshot.parentId()) : null) {
			String key = snapshot.summary().get(BATCH_PROPERTY);
			if (batch.equals(key)) {
				return true;
			}
			if (key != null && key.startsWith(query) && Long.parseLong(key.substring(query.length())) < batchId) {
				return false;
			}
		}
		return false;
	}

	/**
	 * The table's current metadata, through the Iceberg API.
	 * @return the table, refreshed
	 */
	Table table() {
		try {
			Table table = Spark3Util.loadIcebergTable(this.spark, EVENTS);
			table.refresh();
			return table;
		}
		catch (ParseException | NoSuchTableException ex) {
			throw new IllegalStateException("the lake's events table is missing", ex);
		}
	}

	Dataset<Row> events() {
		return this.spark.table(EVENTS);
	}

	SparkSession spark() {
		return this.spark;
	}

}
