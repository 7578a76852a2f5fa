package io.lodestar.recommender.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.recommender.settings.WorkspaceSettings;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/recommendations/models}: the workspace's versions with their metrics, status
 * and decision; promote, pin, unpin and roll back.
 */
@RestController
@RequestMapping("/v1/recommendations/models")
class ModelController {

	private final ModelVersions versions;

	private final ModelRegistry registry;

	private final ModelLifecycle lifecycle;

	private final WorkspaceSettings settings;

	ModelController(ModelVersions versions, ModelRegistry registry, ModelLifecycle lifecycle,
			WorkspaceSettings settings) {
		this.versions = versions;
		this.registry = registry;
		this.lifecycle = lifecycle;
		this.settings = settings;
	}

	@GetMapping
	ModelList list(Workspace workspace, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 500) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-500");
		}
		List<ModelVersions.Version> list = this.versions.list(workspace.id(), limit);
		LoadedModel loaded = this.registry.current(workspace.id());
		return new ModelList(this.settings.of(workspace.id()).promotionPolicy().code(),
				this.versions.serving(workspace.id()).map(ModelVersions.Version::versionId).orElse(null),
				(loaded != null) ? loaded.versionId() : null,
				list.stream().map((version) -> view(version, loaded)).toList());
	}

	@GetMapping("/{versionId}")
	VersionView get(Workspace workspace, @PathVariable UUID versionId) {
		return view(this.versions.find(workspace.id(), versionId).orElseThrow(() -> ModelVersions.notFound(versionId)),
				this.registry.current(workspace.id()));
	}

	/** Serves the version now, without stopping automatic promotion (policy manual). */
	@PostMapping("/{versionId}/promote")
	VersionView promote(Workspace workspace, @PathVariable UUID versionId) {
		return changed(workspace, this.versions.serveThroughApi(workspace.id(), versionId, false));
	}

	@PostMapping("/{versionId}/pin")
	VersionView pin(Workspace workspace, @PathVariable UUID versionId) {
		return changed(workspace, this.versions.serveThroughApi(workspace.id(), versionId, true));
	}

	@PostMapping("/{versionId}/unpin")
	VersionView unpin(Workspace workspace, @PathVariable UUID versionId) {
		ModelVersions.Version version = this.versions.unpin(workspace.id(), versionId);
		// candidates that waited for the pin are decided now
		this.lifecycle.poll();
		return changed(workspace, this.versions.find(workspace.id(), versionId).orElse(version));
	}

	@PostMapping("/rollback")
	VersionView rollback(Workspace workspace) {
		return changed(workspace, this.versions.rollback(workspace.id()));
	}

	private VersionView changed(Workspace workspace, ModelVersions.Version version) {
		this.registry.reloadSoon();
		return view(version, this.registry.current(workspace.id()));
	}

	private VersionView view(ModelVersions.Version version, LoadedModel loaded) {
		return new VersionView(version.versionId(), version.trainedAt(), version.status(), version.pinned(),
				version.decision(), version.decidedAt(),
				loaded != null && loaded.versionId().equals(version.versionId()),
				this.versions.hasFactors(version.versionId()), this.registry.failure(version.versionId()),
				version.metrics(), version.params(), version.cutoff(), version.interactions(), version.users(),
				version.items(), version.durationMs());
	}

	/**
	 * @param promotionPolicy the workspace's policy
	 * @param servingVersionId the version serving, or null
	 * @param loadedVersionId the version in this instance's memory, or null
	 * @param versions newest first
	 */
	record ModelList(String promotionPolicy, UUID servingVersionId, UUID loadedVersionId, List<VersionView> versions) {
	}

	/**
	 * A model version as the API shows it.
	 *
	 * @param versionId the version
	 * @param trainedAt when the training job wrote it
	 * @param status candidate, serving, retired or rejected
	 * @param pinned whether it serves with automatic promotion stopped
	 * @param decision why it was promoted, rejected, pinned, retired or rolled back
	 * @param decidedAt when
	 * @param loaded whether this instance serves from it now
	 * @param factors whether its factors are still stored (old versions keep metrics
	 * only)
	 * @param loadError why it could not be loaded, if it could not
	 * @param metrics the offline evaluation, as the training job wrote it
	 * @param params the training's parameters
	 * @param cutoff the evaluation's time split
	 * @param interactions interactions trained on
	 * @param users users with factors
	 * @param items items with factors
	 * @param trainingDurationMs how long the training took
	 */
	record VersionView(UUID versionId, Instant trainedAt, String status, boolean pinned, String decision,
			Instant decidedAt, boolean loaded, boolean factors,
			@JsonInclude(JsonInclude.Include.NON_NULL) String loadError, JsonNode metrics, JsonNode params,
			Instant cutoff, long interactions, int users, int items, long trainingDurationMs) {
	}

}
