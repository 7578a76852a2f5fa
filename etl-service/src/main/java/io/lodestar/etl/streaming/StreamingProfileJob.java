package io.lodestar.etl.streaming;

import java.util.concurrent.TimeoutException;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.etl.identity.IdentityProperties;
import io.lodestar.etl.identity.IdentityRules;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.system.EtlProperties;
import io.lodestar.etl.system.InputTopics;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

/**
 * The streaming job: reads {@code cdp.ingestion.events} in micro-batches (checkpointed,
 * so a restart resumes where the last committed batch ended) and applies each batch to
 * the profiles through {@link ProfileWriter}. Runs while the service runs.
 */
@Component
class StreamingProfileJob implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StreamingProfileJob.class);

	static final String QUERY_NAME = "profiles-from-events";

	private final SparkSession spark;

	private final EtlProperties properties;

	private final JdbcTarget target;

	private volatile StreamingQuery query;

	private final LakeTable lake;

	private final ProfileWriteGate gate;

	private final IdentityRules identity;

	private final InputTopics topics;

	private final Traits traits;

	StreamingProfileJob(SparkSession spark, EtlProperties properties, DataSourceProperties dataSource, LakeTable lake,
			IdentityProperties identity, InputTopics topics, TraitsProperties traits, ProfileWriteGate gate) {
		this.traits = traits.traits();
		this.spark = spark;
		this.topics = topics;
		this.identity = identity.rules();
		this.lake = lake;
		this.gate = gate;
		this.properties = properties;
		this.target = new JdbcTarget(dataSource.determineUrl(), dataSource.determineUsername(),
				dataSource.determinePassword());
	}

	@Override
	public void start() {
		if (!this.properties.streaming().enabled()) {
			log.info("Streaming job disabled by configuration");
			return;
		}
		this.topics.ensure();
		Dataset<Row> kafka = this.spark.readStream()
			.format("kafka")
			.option("kafka.bootstrap.servers", this.properties.kafkaBootstrap())
			.option("subscribe", Topics.INGESTION_EVENTS)
			.option("startingOffsets", "earliest")
			.option("failOnDataLoss", "false")
			.option("maxOffsetsPerTrigger", this.properties.streaming().maxOffsetsPerTrigger())
			.load();
		EtlProperties.Quarantine quarantine = this.properties.quarantine();
		ProfileWriter writer = new ProfileWriter(this.target, this.properties.streaming().chunkSize(),
				QuarantineRules.of(quarantine.testSources(), quarantine.testEmails(), quarantine.botUserAgents(),
						quarantine.maxEventsPerSecond()),
				this.identity, this.traits, this.properties.streaming().writersPerPartition());
		LakeRows lakeRows = new LakeRows(this.target);
		try {
			this.query = EventParsing.parse(kafka)
				.writeStream()
				.queryName(QUERY_NAME)
				.option("checkpointLocation", this.properties.checkpointDir().resolve(QUERY_NAME).toString())
				.trigger(Trigger.ProcessingTime(this.properties.streaming().triggerInterval().toMillis()))
				.foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> applyBatch(batch, batchId, writer,
						lakeRows))
				.start();
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("the streaming job did not start", ex);
		}
		log.info("Streaming job {} started on {}", QUERY_NAME, Topics.INGESTION_EVENTS);
	}

	/**
	 * One micro-batch: first PostgreSQL (each event once, by the ledger, which records
	 * the batch), then the lake (the events this batch applied first, appended in one
	 * commit marked with the batch). A crash between the two replays the batch:
	 * PostgreSQL skips what it applied, the lake appends the batch's events unless it
	 * holds the batch's commit ({@link LakeRows}). Both under the shared side of the
	 * {@link ProfileWriteGate}: a rebuild never sees one without the other.
	 */
	private void applyBatch(Dataset<Row> batch, long batchId, ProfileWriter writer, LakeRows lakeRows) {
		this.gate.shared(() -> {
			String key = LakeRows.batchKey(batch.sparkSession(), batchId);
			Dataset<Row> cached = batch.persist();
			try {
				long started = System.nanoTime();
				cached.foreachPartition(writer.forBatch(key));
				long applied = System.nanoTime();
				lakeRows.write(this.lake, cached, key);
				if (log.isDebugEnabled()) {
					log.debug("Micro-batch of {}: {} events, PostgreSQL {} ms, lake {} ms", QUERY_NAME, cached.count(),
							(applied - started) / 1_000_000, (System.nanoTime() - applied) / 1_000_000);
				}
			}
			finally {
				cached.unpersist();
			}
		});
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
	 * The job's state for the health indicator.
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
