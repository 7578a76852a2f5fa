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
			.getOrCreate();
	}

}
