package io.lodestar.etl.streaming;

import java.util.Iterator;
import java.util.concurrent.TimeoutException;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.etl.identity.IdentityProperties;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.system.EtlProperties;
import io.lodestar.etl.system.InputTopics;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The second streaming query: {@code cdp.connector.records} (ADR 0016, ADR 0025), its own
 * checkpoint. Each micro-batch: campaign days upserted and unusable records rejected
 * ({@link ConnectorRecordWriter}); orders and customers, turned into events by
 * {@link ConnectorRecords}, applied by the same {@link ProfileWriter} as the collector's
 * events (the ledger makes each once) and added to the lake.
 */
@Component
class ConnectorRecordJob implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ConnectorRecordJob.class);

	static final String QUERY_NAME = "profiles-from-connector-records";

	private static final StructType KAFKA_ROW = new StructType().add("topic", DataTypes.StringType)
		.add("partition", DataTypes.IntegerType)
		.add("offset", DataTypes.LongType)
		.add("value", DataTypes.BinaryType);

	private final SparkSession spark;

	private final EtlProperties properties;

	private final JdbcTarget target;

	private final LakeTable lake;

	private final ProfileWriteGate gate;

	private final IdentityProperties identity;

	private volatile StreamingQuery query;

	private final InputTopics topics;

	private final Traits traits;

	ConnectorRecordJob(SparkSession spark, EtlProperties properties, DataSourceProperties dataSource, LakeTable lake,
			IdentityProperties identity, InputTopics topics, TraitsProperties traits, ProfileWriteGate gate) {
		this.traits = traits.traits();
		this.spark = spark;
		this.topics = topics;
		this.properties = properties;
		this.lake = lake;
		this.gate = gate;
		this.identity = identity;
		this.target = new JdbcTarget(dataSource.determineUrl(), dataSource.determineUsername(),
				dataSource.determinePassword());
	}

	@Override
	public void start() {
		if (!this.properties.streaming().enabled()) {
			return;
		}
		this.topics.ensure();
		Dataset<Row> kafka = this.spark.readStream()
			.format("kafka")
			.option("kafka.bootstrap.servers", this.properties.kafkaBootstrap())
			.option("subscribe", Topics.CONNECTOR_RECORDS)
			.option("startingOffsets", "earliest")
			.option("failOnDataLoss", "false")
			.option("maxOffsetsPerTrigger", this.properties.streaming().maxOffsetsPerTrigger())
			.load();
		EtlProperties.Quarantine quarantine = this.properties.quarantine();
		int chunkSize = this.properties.streaming().chunkSize();
		ProfileWriter events = new ProfileWriter(
				this.target, chunkSize, QuarantineRules.of(quarantine.testSources(), quarantine.testEmails(),
						quarantine.botUserAgents(), quarantine.maxEventsPerSecond()),
				this.identity.rules(), this.traits, 1);
		ConnectorRecordWriter records = new ConnectorRecordWriter(this.target, chunkSize);
		LakeRows lakeRows = new LakeRows(this.target);
		try {
			this.query = kafka.select("topic", "partition", "offset", "value")
				.writeStream()
				.queryName(QUERY_NAME)
				.option("checkpointLocation", this.properties.checkpointDir().resolve(QUERY_NAME).toString())
				.trigger(Trigger.ProcessingTime(this.properties.streaming().triggerInterval().toMillis()))
				.foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> applyBatch(batch, batchId,
						records, events, lakeRows))
				.start();
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("the connector records query did not start", ex);
		}
		log.info("Streaming job {} started on {}", QUERY_NAME, Topics.CONNECTOR_RECORDS);
	}

	/**
	 * One micro-batch: campaign days and rejections, then the records that are events
	 * through the events' path (PostgreSQL, then the lake), under the shared side of the
	 * {@link ProfileWriteGate}.
	 */
	private void applyBatch(Dataset<Row> batch, long batchId, ConnectorRecordWriter records, ProfileWriter events,
			LakeRows lakeRows) {
		this.gate.shared(() -> {
			String key = LakeRows.batchKey(batch.sparkSession(), batchId);
			Dataset<Row> raw = batch
				.select(col("topic"), col("partition"), col("offset"), col("value"),
						col("value").cast(DataTypes.StringType).as("raw"))
				.persist();
			try {
				raw.foreachPartition(records);
				Dataset<Row> envelopes = raw.mapPartitions(
						(MapPartitionsFunction<Row, Row>) ConnectorRecordJob::envelopes, Encoders.row(KAFKA_ROW));
				Dataset<Row> parsed = EventParsing.parse(envelopes).withColumn("connector", lit(true)).persist();
				try {
					parsed.foreachPartition(events.forBatch(key));
					lakeRows.write(this.lake, parsed, key);
				}
				finally {
					parsed.unpersist();
				}
			}
			finally {
				raw.unpersist();
			}
		});
	}

	private static Iterator<Row> envelopes(Iterator<Row> rows) {
		java.util.List<Row> out = new java.util.ArrayList<>();
		while (rows.hasNext()) {
			Row row = rows.next();
			ConnectorRecords.Read read = ConnectorRecords.read(row.getAs("raw"));
			if (read.envelope() != null) {
				out.add(RowFactory.create(row.getAs("topic"), row.getAs("partition"), row.getAs("offset"),
						read.envelope().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
			}
		}
		return out.iterator();
	}

	@Override
	public void stop() {
		StreamingQuery running = this.query;
		if (running != null) {
			try {
				running.stop();
			}
			catch (TimeoutException ex) {
				log.warn("Streaming job {} did not stop in time", QUERY_NAME, ex);
			}
			this.query = null;
		}
	}

	@Override
	public boolean isRunning() {
		StreamingQuery running = this.query;
		return running != null && running.isActive();
	}

	/**
	 * The query's state for the health indicator.
	 * @return null while it runs or when disabled, else why it is not running
	 */
	String failure() {
		StreamingQuery running = this.query;
		if (!this.properties.streaming().enabled()) {
			return null;
		}
		if (running == null) {
			return "not started";
		}
		if (running.isActive()) {
			return null;
		}
		return running.exception()
			.map(StreamingQueryException::getMessage)
			.map((message) -> "stopped: " + message)
			.getOrElse(() -> "stopped");
	}

}
