package io.lodestar.etl.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * etl-service settings, prefix {@code lodestar.etl}.
 *
 * @param sparkMaster where Spark runs: {@code local[*]} (default) or a cluster URL
 * @param dataDir the service's data folder (Spark's local dir, checkpoints)
 * @param kafkaBootstrap the Kafka bootstrap servers
 * @param streaming the streaming job's settings
 * @param quarantine the quarantine rules
 * @param lake the Iceberg lake
 * @param cluster how the service drives a Spark cluster when {@code sparkMaster} is not
 * {@code local}
 */
@ConfigurationProperties("lodestar.etl")
public record EtlProperties(String sparkMaster, Path dataDir, String kafkaBootstrap, Streaming streaming,
		Quarantine quarantine, Lake lake, Cluster cluster) {

	/**
	 * The service is the Spark driver (client mode); a standalone cluster's executors
	 * connect back to it and run its tasks (docs/adr/0035-spark-standalone-cluster.md).
	 *
	 * @param driverHost the host name executors reach the driver on
	 * @param driverBindAddress the address the driver listens on
	 * @param jars what executors load the service's code from: empty (default) ships the
	 * service's own classes and every jar of its classpath the cluster does not have (see
	 * {@code providedJars}); else these paths or URLs, as Spark's {@code spark.jars}
	 * @param providedJars file-name prefixes of the jars every Spark 4.0 installation has
	 * on its executors' classpath, not shipped
	 * @param executorMemory each executor's heap
	 * @param maxCores the most cores the service takes from the cluster (0: all offered)
	 */
	public record Cluster(String driverHost, String driverBindAddress, java.util.List<String> jars,
			java.util.List<String> providedJars, String executorMemory, int maxCores) {
	}

	/**
	 * @return whether Spark runs inside this JVM ({@code local}, {@code local[n]},
	 * {@code local[*]})
	 */
	public boolean sparkLocal() {
		return this.sparkMaster.startsWith("local");
	}

	/**
	 * @param warehouse the Iceberg Hadoop catalog's warehouse: a local path (default
	 * {@code var/lake}), or an {@code hdfs://} / {@code s3a://} URI
	 */
	public record Lake(String warehouse) {

		/**
		 * The warehouse as a URI Hadoop understands: a path without a scheme becomes an
		 * absolute local path.
		 * @return the warehouse location
		 */
		public String location() {
			if (this.warehouse.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
				return this.warehouse;
			}
			return Path.of(this.warehouse).toAbsolutePath().normalize().toUri().toString();
		}

	}

	/**
	 * Rules that keep valid but unwanted events out of profiles.
	 *
	 * @param testSources {@code workspace/source} pairs whose events are test traffic
	 * @param testEmails regular expressions of test email addresses
	 * @param botUserAgents fragments of bot user agents (case-insensitive)
	 * @param maxEventsPerSecond the most events one identity can make in one second (0:
	 * no limit)
	 */
	public record Quarantine(java.util.List<String> testSources, java.util.List<String> testEmails,
			java.util.List<String> botUserAgents, int maxEventsPerSecond) {
	}

	/**
	 * @param enabled whether the streaming job starts with the service
	 * @param triggerInterval the micro-batch interval
	 * @param maxOffsetsPerTrigger the most records one micro-batch reads
	 * @param chunkSize events applied per PostgreSQL transaction
	 * @param writersPerPartition how many writers apply one partition's events at once,
	 * each on its own connection (by partition key, so one key's events keep their
	 * order); 0 or 1: one
	 */
	public record Streaming(boolean enabled, Duration triggerInterval, long maxOffsetsPerTrigger, int chunkSize,
			int writersPerPartition) {
	}

	public Path checkpointDir() {
		return this.dataDir.resolve("etl").resolve("checkpoints").toAbsolutePath();
	}

	public Path executorJarsDir() {
		return this.dataDir.resolve("etl").resolve("executor-jars").toAbsolutePath();
	}

	public Path sparkLocalDir() {
		return this.dataDir.resolve("etl").resolve("spark").toAbsolutePath();
	}

}
