package io.lodestar.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture gives a working database and broker, and the same instance to every caller.
 */
class TestInfrastructureIT {

	@Test
	void startsOncePerJvm() {
		assertThat(TestInfrastructure.get()).isSameAs(TestInfrastructure.get());
	}

	@Test
	void databaseAcceptsTheApplicationUser() throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		try (Connection connection = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
				ResultSet row = connection.createStatement().executeQuery("select current_database()")) {
			assertThat(row.next()).isTrue();
			assertThat(row.getString(1)).isEqualTo("lodestar");
		}
	}

	@Test
	void brokerRoundTripsARecordWithAcksAll() throws Exception {
		TestInfrastructure infra = TestInfrastructure.get();
		Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
				new StringSerializer())) {
			producer.send(new ProducerRecord<>("fixture-probe", "k", "v")).get(30, TimeUnit.SECONDS);
		}
		Properties consumerConfig = new Properties();
		consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
		consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "fixture-probe");
		consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of("fixture-probe"));
			ConsumerRecord<String, String> received = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (received == null && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					received = record;
				}
			}
			assertThat(received).isNotNull();
			assertThat(received.value()).isEqualTo("v");
		}
	}

}
