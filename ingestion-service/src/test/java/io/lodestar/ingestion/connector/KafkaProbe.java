package io.lodestar.ingestion.connector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.lodestar.testsupport.TestInfrastructure;

/**
 * Reads a topic of the test broker from the start.
 */
public final class KafkaProbe {

	private KafkaProbe() {
	}

	/**
	 * Every record of a topic that matches, read until the topic has been quiet for a
	 * moment after the end.
	 * @param topic the topic
	 * @param filter which records to keep
	 * @return the records, in partition order
	 */
	public static List<ConsumerRecord<String, String>> all(String topic,
			Predicate<ConsumerRecord<String, String>> filter) {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "connector-it-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		List<ConsumerRecord<String, String>> found = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			int quiet = 0;
			boolean assigned = false;
			while (System.nanoTime() < deadline && quiet < 3) {
				var records = consumer.poll(Duration.ofMillis(500));
				assigned = assigned || !consumer.assignment().isEmpty();
				if (records.isEmpty() && assigned) {
					quiet++;
				}
				else {
					quiet = 0;
				}
				for (ConsumerRecord<String, String> record : records) {
					if (filter.test(record)) {
						found.add(record);
					}
				}
			}
		}
		return found;
	}

	/**
	 * The records of a topic whose value contains a text.
	 * @param topic the topic
	 * @param text e.g. a connector id
	 * @return the records
	 */
	public static List<ConsumerRecord<String, String>> containing(String topic, String text) {
		return all(topic, (record) -> record.value().contains(text));
	}

}
