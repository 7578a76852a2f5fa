package io.lodestar.recommender.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
	Map<String, Object> list(Workspace workspace, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 500) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-500");
		}
		List<ModelVersions.Version> list = this.versions.list(workspace.id(), limit);
		LoadedModel loaded = this.registry.current(workspace.id());
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("promotionPolicy", this.settings.of(workspace.id()).promotionPolicy().code());
		answer.put("servingVersionId",
				this.versions.serving(workspace.id()).map(ModelVersions.Version::versionId).orElse(null));
		answer.put("loadedVersionId", (loaded != null) ? loaded.versionId() : null);
		answer.put("versions", list.stream().map((version) -> view(version, loaded)).toList());
		return answer;
	}

	@GetMapping("/{versionId}")
	Map<String, Object> get(Workspace workspace, @PathVariable UUID versionId) {
		return view(this.versions.find(workspace.id(), versionId).orElseThrow(() -> ModelVersions.notFound(versionId)),
				this.registry.current(workspace.id()));
	}

	/** Serves the version now, without stopping automatic promotion (policy manual). */
	@PostMapping("/{versionId}/promote")
	Map<String, Object> promote(Workspace workspace, @PathVariable UUID versionId) {
		return changed(workspace, this.versions.serveThroughApi(workspace.id(), versionId, false));
	}

	@PostMapping("/{versionId}/pin")
	Map<String, Object> pin(Workspace workspace, @PathVariable UUID versionId) {
		return changed(workspace, this.versions.serveThroughApi(workspace.id(), versionId, true));
	}

	@PostMapping("/{versionId}/unpin")
	Map<String, Object> unpin(Workspace workspace, @PathVariable UUID versionId) {
		ModelVersions.Version version = this.versions.unpin(workspace.id(), versionId);
		// candidates that waited for the pin are decided now
		this.lifecycle.poll();
		return changed(workspace, this.versions.find(workspace.id(), versionId).orElse(version));
	}

	@PostMapping("/rollback")
	Map<String, Object> rollback(Workspace workspace) {
		return changed(workspace, this.versions.rollback(workspace.id()));
	}

	private Map<String, Object> changed(Workspace workspace, ModelVersions.Version version) {
		this.registry.reloadSoon();
		return view(version, this.registry.current(workspace.id()));
	}

	private Map<String, Object> view(ModelVersions.Version version, LoadedModel loaded) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("versionId", version.versionId());
		view.put("trainedAt", version.trainedAt());
		view.put("status", version.status());
		view.put("pinned", version.pinned());
		view.put("decision", version.decision());
		view.put("decidedAt", version.decidedAt());
		view.put("loaded", loaded != null && loaded.versionId().equals(version.versionId()));
		// old versions keep their metrics, not their factors (keep-factors)
		view.put("factors", this.versions.hasFactors(version.versionId()));
		String failure = this.registry.failure(version.versionId());
		if (failure != null) {
			view.put("loadError", failure);
		}
		view.put("metrics", version.metrics());
		view.put("params", version.params());
		view.put("cutoff", version.cutoff());
		view.put("interactions", version.interactions());
		view.put("users", version.users());
		view.put("items", version.items());
		view.put("trainingDurationMs", version.durationMs());
		return view;
	}

}
