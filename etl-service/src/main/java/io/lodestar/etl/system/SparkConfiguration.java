package io.lodestar.etl.system;

import org.apache.spark.sql.SparkSession;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's one Spark session: bound to loopback, its scratch space under the data
 * folder.
 */
@Configuration(proxyBeanMethods = false)
class SparkConfiguration {

	/** The Iceberg catalog of the lake. */
	static final String LAKE_CATALOG = "lodestar";

	@Bean(destroyMethod = "stop")
	SparkSession sparkSession(EtlProperties properties) {
		return SparkSession.builder()
			.appName("lodestar-etl")
			.master(properties.sparkMaster())
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.local.dir", properties.sparkLocalDir().toString())
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
