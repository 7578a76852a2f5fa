package io.lodestar.etl.system;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's one Spark session: in this JVM bound to loopback ({@code local[*]}), or
 * the driver of a cluster's executors; its scratch space under the data folder.
 */
@Configuration(proxyBeanMethods = false)
class SparkConfiguration {

	/** The Iceberg catalog of the lake. */
	static final String LAKE_CATALOG = "lodestar";

	@Bean(destroyMethod = "stop")
	SparkSession sparkSession(EtlProperties properties) {
		SparkSession.Builder builder = SparkSession.builder().appName("lodestar-etl").master(properties.sparkMaster());
		EtlProperties.Cluster cluster = properties.cluster();
		if (properties.sparkLocal()) {
			builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
		}
		else {
			// the service is the driver; the executors run on the cluster's workers and
			// load the service's code from the jars it ships (ADR 0035)
			List<String> jars = cluster.jars().isEmpty()
					? new ExecutorJars(cluster.providedJars(), properties.executorJarsDir())
						.write(SparkConfiguration.class)
						.stream()
						.map(Path::toString)
						.toList()
					: cluster.jars();
			builder.config("spark.driver.host", cluster.driverHost())
				.config("spark.driver.bindAddress", cluster.driverBindAddress())
				.config("spark.jars", String.join(",", jars))
				.config("spark.executor.memory", cluster.executorMemory());
			if (cluster.maxCores() > 0) {
				builder.config("spark.cores.max", String.valueOf(cluster.maxCores()));
			}
		}
		return builder.config("spark.local.dir", properties.sparkLocalDir().toString())
			.config("spark.ui.enabled", "false")
			.config("spark.sql.shuffle.partitions", "6")
			.config("spark.sql.session.timeZone", "UTC")
			.config("spark.sql.streaming.stopGracefullyOnShutdown", "true")
			// the lake: Iceberg tables in a Hadoop catalog
			// (docs/adr/0009-lake-and-identity.md)
			.config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
			.config("spark.sql.catalog." + LAKE_CATALOG, "org.apache.iceberg.spark.SparkCatalog")
			.config("spark.sql.catalog." + LAKE_CATALOG + ".type", "hadoop")
			.config("spark.sql.catalog." + LAKE_CATALOG + ".warehouse", properties.lake().location())
			// each session (the streaming batches run in a cloned one) sees the latest
			// commit
			.config("spark.sql.catalog." + LAKE_CATALOG + ".cache-enabled", "false")
			// the catalog Iceberg's compaction writes its rewritten files through;
			// Iceberg
			// registers it on the thread's active session only, which need not be the
			// session the rewrite runs in (ADR 0032)
			.config("spark.sql.catalog.default_cache_iceberg", "org.apache.iceberg.spark.SparkCachedTableCatalog")
			.getOrCreate();
	}

}
