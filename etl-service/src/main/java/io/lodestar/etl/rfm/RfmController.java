package io.lodestar.etl.rfm;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/jobs/rfm/runs} runs RFM for the caller's workspace now;
 * {@code GET /v1/jobs/rfm/movement} compares its two latest runs.
 */
@RestController
@RequestMapping("/v1/jobs/rfm")
class RfmController {

	private static final String WORKSPACE = "X-Lodestar-Workspace";

	private final RfmJob rfm;

	RfmController(RfmJob rfm) {
		this.rfm = rfm;
	}

	@PostMapping("/runs")
	Map<String, Object> run(@RequestHeader(WORKSPACE) String workspace, @RequestParam(defaultValue = "3") int kMin,
			@RequestParam(defaultValue = "6") int kMax) {
		check(workspace);
		if (kMin < 2 || kMax < kMin || kMax > 12) {
			throw problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "kMin and kMax: 2 <= kMin <= kMax <= 12");
		}
		try {
			return this.rfm.run(workspace, kMin, kMax);
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.UNPROCESSABLE_CONTENT, "not-enough-data",
					"RFM needs purchases (Order Completed with a revenue) of at least 10 customers per cluster");
		}
	}

	/** The latest run, or 204 when the workspace has none. */
	@GetMapping("/runs/latest")
	org.springframework.http.ResponseEntity<Map<String, Object>> latest(@RequestHeader(WORKSPACE) String workspace) {
		check(workspace);
		return this.rfm.latest(workspace)
			.map(org.springframework.http.ResponseEntity::ok)
			.orElseGet(() -> org.springframework.http.ResponseEntity.noContent().build());
	}

	@GetMapping("/movement")
	List<Map<String, Object>> movement(@RequestHeader(WORKSPACE) String workspace) {
		check(workspace);
		return this.rfm.movement(workspace);
	}

	private static void check(String workspace) {
		if (!workspace.matches("[A-Za-z0-9_.-]{1,64}")) {
			throw problem(HttpStatus.BAD_REQUEST, "invalid-workspace",
					"the X-Lodestar-Workspace header must be 1-64 letters, digits, '.', '_' or '-'");
		}
	}

	private static ErrorResponseException problem(HttpStatus status, String type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(java.net.URI.create("https://lodestar.io/problems/" + type));
		return new ErrorResponseException(status, problem, null);
	}

}
