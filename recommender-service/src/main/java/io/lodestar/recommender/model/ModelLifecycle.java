package io.lodestar.recommender.model;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.recommender.settings.WorkspaceSettings;
import io.lodestar.recommender.system.RecommenderProperties;

/**
 * Looks for candidates the training job wrote (every {@code poll-interval}) and decides
 * on each by its workspace's policy, oldest first; a promotion triggers a reload of the
 * models in memory. A candidate that waits (policy manual, or a pinned version) is looked
 * at again on every poll. Each poll also removes the factors of versions older than the
 * {@code keep-factors} newest retired ones.
 */
@Component
class ModelLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ModelLifecycle.class);

	private final ModelVersions versions;

	private final WorkspaceSettings settings;

	private final ModelRegistry registry;

	private final RecommenderProperties properties;

	ModelLifecycle(ModelVersions versions, WorkspaceSettings settings, ModelRegistry registry,
			RecommenderProperties properties) {
		this.versions = versions;
		this.settings = settings;
		this.registry = registry;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${lodestar.recommender.poll-interval:30s}")
	void poll() {
		boolean promoted = false;
		for (ModelVersions.Version candidate : this.versions.candidates()) {
			try {
				ModelVersions.Decision decision = this.versions.decide(candidate.workspaceId(), candidate.versionId(),
						this.settings.of(candidate.workspaceId()).promotionPolicy());
				switch (decision.outcome()) {
					case PROMOTE -> {
						promoted = true;
						logger.info("Workspace {}: version {} {}", candidate.workspaceId(), candidate.versionId(),
								decision.reason());
					}
					case REJECT -> logger.info("Workspace {}: version {} {}", candidate.workspaceId(),
							candidate.versionId(), decision.reason());
					default -> logger.debug("Workspace {}: version {} {}", candidate.workspaceId(),
							candidate.versionId(), decision.reason());
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Workspace {}: no decision on version {} yet", candidate.workspaceId(),
						candidate.versionId(), ex);
			}
		}
		if (promoted) {
			this.registry.reloadSoon();
		}
		try {
			List<UUID> pruned = this.versions.prune(this.properties.keepFactors());
			if (!pruned.isEmpty()) {
				logger.info("Factors of {} old versions removed (the newest {} retired per workspace kept)",
						pruned.size(), this.properties.keepFactors());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Old versions' factors not removed ({})", ex.getClass().getSimpleName());
		}
	}

}
