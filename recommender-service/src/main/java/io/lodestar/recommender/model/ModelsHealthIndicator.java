package io.lodestar.recommender.model;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code models}: part of readiness, up once the serving versions have been loaded into
 * memory after start, so that no request is answered from an empty registry while a model
 * serves.
 */
@Component
class ModelsHealthIndicator implements HealthIndicator {

	private final ModelRegistry registry;

	ModelsHealthIndicator(ModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Health health() {
		return this.registry.ready() ? Health.up().build()
				: Health.outOfService().withDetail("models", "loading").build();
	}

}
