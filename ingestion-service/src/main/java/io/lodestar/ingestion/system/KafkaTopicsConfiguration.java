package io.lodestar.ingestion.system;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.lodestar.contracts.topic.Topics;

/**
 * The topics this service writes, declared explicitly: the events topic and its
 * dead-letter topic, with the same number of partitions.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

	@Bean
	NewTopic ingestionEvents(IngestionProperties properties) {
		return new NewTopic(Topics.INGESTION_EVENTS, properties.topics().partitions(),
				properties.topics().replicationFactor());
	}

	@Bean
	NewTopic ingestionEventsDeadLetters(IngestionProperties properties) {
		return new NewTopic(Topics.INGESTION_EVENTS_DLT, properties.topics().partitions(),
				properties.topics().replicationFactor());
	}

}
