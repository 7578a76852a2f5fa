package io.lodestar.profile.analytics;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/analytics/reports}: saved analytics questions e-mailed on a schedule as PDF
 * or CSV, sent now on request, downloaded as they would be sent, and their delivery log.
 */
@RestController
@RequestMapping("/v1/analytics/reports")
class ReportController {

	/** The caller the gateway vouched for. */
	static final String ACTOR = "X-Lodestar-Actor";

	private final ReportService reports;

	ReportController(ReportService reports) {
		this.reports = reports;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ReportView create(Workspace workspace, @RequestHeader(name = ACTOR, required = false) String actor,
			@RequestBody ReportRequest request) {
		return this.reports.create(workspace.id(), actor, request);
	}

	@GetMapping
	List<ReportView> list(Workspace workspace) {
		return this.reports.list(workspace.id());
	}

	@GetMapping("/{reportId}")
	ReportView get(Workspace workspace, @PathVariable UUID reportId) {
		return report(workspace, reportId);
	}

	@PutMapping("/{reportId}")
	ReportView update(Workspace workspace, @PathVariable UUID reportId, @RequestBody ReportRequest request) {
		return this.reports.update(workspace.id(), reportId, request).orElseThrow(() -> notFound(reportId));
	}

	@DeleteMapping("/{reportId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(Workspace workspace, @PathVariable UUID reportId) {
		if (!this.reports.delete(workspace.id(), reportId)) {
			throw notFound(reportId);
		}
	}

	/**
	 * The report as it would be sent now (its format unless {@code format} says
	 * otherwise).
	 */
	@GetMapping("/{reportId}/render")
	ResponseEntity<?> render(Workspace workspace, @PathVariable UUID reportId,
			@RequestParam(required = false) String format) {
		ReportView report = report(workspace, reportId);
		return AnalyticsController.answer(this.reports.render(workspace.id(), report),
				(format != null) ? format : report.format());
	}

	/**
	 * Sends the report now; a failed delivery answers 502 with the reason, and is logged.
	 */
	@PostMapping("/{reportId}/send")
	ResponseEntity<Map<String, Object>> send(Workspace workspace, @PathVariable UUID reportId) {
		Map<String, Object> delivery = this.reports.send(workspace.id(), report(workspace, reportId), "manual");
		return ResponseEntity.status("sent".equals(delivery.get("status")) ? HttpStatus.OK : HttpStatus.BAD_GATEWAY)
			.body(delivery);
	}

	@GetMapping("/{reportId}/deliveries")
	List<Map<String, Object>> deliveries(Workspace workspace, @PathVariable UUID reportId,
			@RequestParam(defaultValue = "20") int limit) {
		if (limit < 1 || limit > 200) {
			throw Invalid.at("limit", "limit is 1-200");
		}
		report(workspace, reportId);
		return this.reports.deliveries(workspace.id(), reportId, limit);
	}

	private ReportView report(Workspace workspace, UUID reportId) {
		return this.reports.get(workspace.id(), reportId).orElseThrow(() -> notFound(reportId));
	}

	private static ErrorResponseException notFound(UUID reportId) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				Problems.of(HttpStatus.NOT_FOUND, "report-not-found", "Report not found", "report " + reportId), null);
	}

}
