package io.lodestar.recommender.feedback;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code GET /v1/recommendations/models/{versionId}/feedback} and the workspace's summary
 * per version, {@code GET /v1/recommendations/feedback}.
 */
@RestController
class FeedbackController {

	private final FeedbackReport report;

	private final JdbcClient jdbc;

	FeedbackController(FeedbackReport report, JdbcClient jdbc) {
		this.report = report;
		this.jdbc = jdbc;
	}

	@GetMapping("/v1/recommendations/models/{versionId}/feedback")
	FeedbackReport.Counts forVersion(Workspace workspace, @PathVariable UUID versionId) {
		boolean exists = this.jdbc.sql("""
				select exists (select 1 from recommender.model_version
				                where workspace_id = :workspace and version_id = :version)""")
			.param("workspace", workspace.id())
			.param("version", versionId)
			.query(Boolean.class)
			.single();
		if (!exists) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "model-not-found",
					"Model version not found", "no model version " + versionId + " in this workspace"), null);
		}
		return this.report.forVersion(workspace.id(), versionId);
	}

	@GetMapping("/v1/recommendations/feedback")
	Summary perVersion(Workspace workspace) {
		return new Summary(this.report.perVersion(workspace.id()));
	}

	/**
	 * @param versions every version that answered (null: answers without a model), the
	 * latest serving first
	 */
	record Summary(List<FeedbackReport.Counts> versions) {
	}

}
