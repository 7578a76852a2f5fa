package io.lodestar.ingestion.connector.management;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.lodestar.contracts.topic.Topics;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.credential.CredentialCipher;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;
import io.lodestar.ingestion.system.IngestionProperties;

/**
 * The connectors' shared parts: the credential cipher, the clock and sleeper the runs
 * wait on (tests add {@code @Primary} ones), one HTTP client, and the records topic with
 * its dead letters.
 */
@Configuration(proxyBeanMethods = false)
class ConnectorConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ConnectorConfiguration.class);

	@Bean
	CredentialCipher credentialCipher(ConnectorProperties properties) {
		String key = properties.credentialKey();
		if (key == null || key.isBlank() || CredentialCipher.DEV_ONLY_KEY.equals(key)) {
			log.warn("Connector credentials are sealed with the development key: set "
					+ "LODESTAR_CONNECTOR_CREDENTIAL_KEY (base64 of 32 random bytes) outside a developer's machine");
			key = CredentialCipher.DEV_ONLY_KEY;
		}
		return new CredentialCipher(key, new SecureRandom());
	}

	@Bean
	Clock connectorClock() {
		return Clock.systemUTC();
	}

	@Bean
	Sleeper connectorSleeper() {
		return Sleeper.THREAD;
	}

	@Bean
	HttpClient connectorHttpClient() {
		return HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
	}

	@Bean
	NewTopic connectorRecords(IngestionProperties properties) {
		return new NewTopic(Topics.CONNECTOR_RECORDS, properties.topics().partitions(),
				properties.topics().replicationFactor());
	}

	@Bean
	NewTopic connectorRecordsDeadLetters(IngestionProperties properties) {
		return new NewTopic(Topics.CONNECTOR_RECORDS_DLT, properties.topics().partitions(),
				properties.topics().replicationFactor());
	}

}
