package io.lodestar.recommender.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.lodestar.recommender.settings.WorkspaceSettings;

/**
 * Looks for candidates the training job wrote (every {@code poll-interval}) and decides
 * on each by its workspace's policy, oldest first; a promotion triggers a reload of the
 * models in memory. A candidate that waits (policy manual, or a pinned version) is looked
 * at again on every poll.
 */
@Component
class ModelLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ModelLifecycle.class);

	private final ModelVersions versions;

	private final WorkspaceSettings settings;

	private final ModelRegistry registry;

	ModelLifecycle(ModelVersions versions, WorkspaceSettings settings, ModelRegistry registry) {
		this.versions = versions;
		this.settings = settings;
		this.registry = registry;
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
	}

}
