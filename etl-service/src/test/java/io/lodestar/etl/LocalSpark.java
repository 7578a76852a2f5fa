package io.lodestar.etl;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of fast tests on small DataFrames: two local threads on loopback, no
 * UI, few shuffle partitions, UTC.
 */
public final class LocalSpark {

	private LocalSpark() {
	}

	/**
	 * @param name the application's name
	 * @return a session (stop it after the tests)
	 */
	public static SparkSession start(String name) {
		return SparkSession.builder()
			.master("local[2]")
			.appName(name)
			.config("spark.driver.host", "127.0.0.1")
			.config("spark.driver.bindAddress", "127.0.0.1")
			.config("spark.ui.enabled", "false")
			.config("spark.sql.shuffle.partitions", "4")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
	}

}
