package io.lodestar.ingestion.collector;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import io.lodestar.ingestion.suppression.SuppressionList;
import io.lodestar.ingestion.system.IngestionProperties;

/**
 * What the collector's web-slice tests share: the settings, a meter registry, and the
 * HTTP Basic header the SDKs send.
 */
@TestConfiguration
@EnableConfigurationProperties(IngestionProperties.class)
class CollectorSlice {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/** Nobody erased: the list is empty and never refreshed in a web slice. */
	@Bean
	SuppressionList suppressionList() {
		return new SuppressionList(new JdbcTemplate());
	}

	/** The write key as HTTP Basic username with an empty password. */
	static String basic(String writeKey) {
		return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
	}

}
