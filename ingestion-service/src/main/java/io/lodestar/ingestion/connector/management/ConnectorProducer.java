package io.lodestar.ingestion.connector.management;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The connectors' own producer: the service's Kafka settings (acks=all, idempotence,
 * compression), but patient. The collector's producer gives up after seconds because an
 * SDK is waiting for its answer; a connector run can wait minutes for a busy broker
 * rather than fail and re-read its window. Not a {@link KafkaTemplate} bean, so the
 * collector keeps Spring Boot's.
 */
@Component
class ConnectorProducer implements DisposableBean {

	private final DefaultKafkaProducerFactory<String, byte[]> factory;

	private final KafkaTemplate<String, byte[]> template;

	ConnectorProducer(KafkaProperties kafka) {
		Map<String, Object> config = kafka.buildProducerProperties();
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
		config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingestion-connectors");
		this.factory = new DefaultKafkaProducerFactory<>(config);
		this.template = new KafkaTemplate<>(this.factory);
	}

	KafkaTemplate<String, byte[]> template() {
		return this.template;
	}

	@Override
	public void destroy() {
		this.factory.destroy();
	}

}
