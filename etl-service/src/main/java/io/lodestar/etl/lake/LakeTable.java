package io.lodestar.etl.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.springframework.stereotype.Component;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * The lake's events table {@value #EVENTS}: Iceberg format 2, partitioned by workspace
 * and day, deletes as merge-on-read (an erasure writes delete files instead of rewriting
 * data files). Created when absent.
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

	Dataset<Row> events() {
		return this.spark.table(EVENTS);
	}

	SparkSession spark() {
		return this.spark;
	}

}
