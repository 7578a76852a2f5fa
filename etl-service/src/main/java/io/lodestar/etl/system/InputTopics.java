package io.lodestar.etl.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.topic.Topics;

/**
 * Makes sure the topics the streaming queries read exist before they start: Spark's Kafka
 * source fails on a topic that does not exist yet (a fresh broker, or connectors that
 * have not published yet). Declared as their producers declare them: 6 partitions; a
 * broker that refuses (no rights) is logged and left to its operator.
 */
@Component
public class InputTopics {

	private static final Logger log = LoggerFactory.getLogger(InputTopics.class);

	private final EtlProperties properties;

	private volatile boolean ensured;

	InputTopics(EtlProperties properties) {
		this.properties = properties;
	}

	/**
	 * Creates {@code cdp.ingestion.events} and {@code cdp.connector.records} where absent
	 * (once per start).
	 */
	public synchronized void ensure() {
		if (this.ensured) {
			return;
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.properties.kafkaBootstrap(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000))) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<NewTopic> missing = new ArrayList<>();
			for (String topic : List.of(Topics.INGESTION_EVENTS, Topics.CONNECTOR_RECORDS)) {
				if (!existing.contains(topic)) {
					missing.add(new NewTopic(topic, java.util.Optional.of(Topics.DEFAULT_PARTITIONS),
							java.util.Optional.empty()));
				}
			}
			if (!missing.isEmpty()) {
				try {
					admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
					log.info("Created the input topics {}", missing.stream().map(NewTopic::name).toList());
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw ex;
					}
				}
			}
			this.ensured = true;
		}
		catch (ExecutionException | TimeoutException ex) {
			log.warn("Could not check or create the input topics on {}: {}", this.properties.kafkaBootstrap(),
					ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
