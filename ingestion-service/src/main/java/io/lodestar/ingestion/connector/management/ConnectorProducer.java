package io.lodestar.ingestion.connector.management;

import java.util.Map;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.stereotype.Component;

/**
 * The connectors' own producer: the service's Kafka settings (acks=all, idempotence,
 * compression), but patient. The collector's producer gives up after seconds because an
 * SDK is waiting for its answer; a connector run can wait minutes for a busy broker
 * rather than fail and re-read its window. Not a {@code KafkaTemplate} bean, so the
 * collector keeps Spring Boot's.
 */
@Component
class ConnectorProducer implements DisposableBean {

	private final DefaultKafkaProducerFactory<String, byte[]> factory;

	private final Producer<String, byte[]> producer;

	ConnectorProducer(KafkaProperties kafka) {
		Map<String, Object> config = kafka.buildProducerProperties();
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
		// a run sends in bulk: big batches cost the broker least per row
		config.put(ProducerConfig.LINGER_MS_CONFIG, 50);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
		config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingestion-connectors");
		this.factory = new DefaultKafkaProducerFactory<>(config);
		this.producer = this.factory.createProducer();
	}

	/**
	 * @return the shared, thread-safe producer (sent to without a template: a run sends
	 * hundreds of thousands of rows, each with its own callback)
	 */
	Producer<String, byte[]> producer() {
		return this.producer;
	}

	@Override
	public void destroy() {
		this.factory.destroy();
	}

}
