package io.lodestar.etl.rfm;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobRun;
import io.lodestar.etl.jobs.JobScheduler;
import io.lodestar.etl.jobs.SchedulerProperties;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * The RFM job's own endpoints, kept for the dashboard: {@code POST /v1/jobs/rfm/runs}
 * runs RFM for the caller's workspace through the scheduler and answers when it is done
 * (200 with the summary, as before; its {@code runId} is the job run's id), or at once
 * with 202 and the run when the caller sends {@code Prefer: respond-async} (as every
 * other job answers); {@code GET /v1/jobs/rfm/runs/latest} and
 * {@code GET /v1/jobs/rfm/movement} read the results.
 */
@RestController
@RequestMapping("/v1/jobs/rfm")
class RfmController {

	private final RfmJob rfm;

	private final JobScheduler scheduler;

	private final SchedulerProperties properties;

	RfmController(RfmJob rfm, JobScheduler scheduler, SchedulerProperties properties) {
		this.rfm = rfm;
		this.scheduler = scheduler;
		this.properties = properties;
	}

	@PostMapping("/runs")
	ResponseEntity<?> run(Workspace workspace, @RequestParam(required = false) Integer kMin,
			@RequestParam(required = false) Integer kMax,
			@RequestHeader(value = "Prefer", required = false) String prefer,
			@org.springframework.web.bind.annotation.RequestBody(required = false) Map<String, Object> body)
			throws InterruptedException {
		Map<String, Object> parameters = new LinkedHashMap<>();
		if (body != null && body.get("parameters") instanceof Map<?, ?> given) {
			given.forEach((name, value) -> parameters.put(String.valueOf(name), value));
		}
		if (body != null && (body.get("from") != null || body.get("to") != null)) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter",
					"job 'rfm' does not take a date range");
		}
		if (kMin != null) {
			parameters.put("kMin", kMin);
		}
		if (kMax != null) {
			parameters.put("kMax", kMax);
		}
		JobScheduler.Triggered triggered = this.scheduler.trigger(RfmBatchJob.NAME, workspace.id(),
				new JobRequest(null, null, parameters));
		if (prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async")) {
			return accepted(triggered.run());
		}
		JobRun done;
		try {
			done = triggered.done().get(this.properties.syncWait().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return accepted(triggered.run());
		}
		catch (ExecutionException ex) {
			throw failed(triggered.run(), "the RFM run could not be completed");
		}
		if (done.status() == JobRun.Status.SUCCEEDED) {
			return ResponseEntity.ok(done.result());
		}
		if ("invalid-data".equals(done.errorType())) {
			ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "not-enough-data", "Not enough data",
					"RFM needs purchases (Order Completed with a revenue) of at least 10 customers per cluster");
			problem.setProperty("runId", done.runId());
			throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
		}
		throw failed(done, "the RFM run failed; its error is on the run");
	}

	private static ResponseEntity<JobRun> accepted(JobRun run) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/v1/jobs/runs/" + run.runId()))
			.body(run);
	}

	private static ErrorResponseException failed(JobRun run, String detail) {
		ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "job-failed", "Job failed",
				detail + " (run " + run.runId() + ")");
		problem.setProperty("runId", run.runId());
		return new ErrorResponseException(HttpStatus.INTERNAL_SERVER_ERROR, problem, null);
	}

	/** The latest run, or 204 when the workspace has none. */
	@GetMapping("/runs/latest")
	ResponseEntity<Map<String, Object>> latest(Workspace workspace) {
		return this.rfm.latest(workspace.id())
			.map(ResponseEntity::ok)
			.orElseGet(() -> ResponseEntity.noContent().build());
	}

	@GetMapping("/movement")
	List<Map<String, Object>> movement(Workspace workspace) {
		return this.rfm.movement(workspace.id());
	}

}
