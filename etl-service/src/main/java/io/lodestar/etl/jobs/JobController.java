package io.lodestar.etl.jobs;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * The jobs and their runs for the caller's workspace: {@code GET /v1/jobs}, {@code POST
 * /v1/jobs/{job}/runs} (202, runs asynchronously; 409 while one runs), {@code GET
 * /v1/jobs/{job}/runs?limit=&cursor=}, {@code GET /v1/jobs/runs/{runId}}.
 */
@RestController
@RequestMapping("/v1/jobs")
class JobController {

	private static final int MAX_LIMIT = 100;

	private final JobScheduler scheduler;

	JobController(JobScheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * @param from first day of a backfill range
	 * @param to last day of a backfill range
	 * @param parameters the job's parameters
	 */
	record TriggerRunRequest(LocalDate from, LocalDate to, Map<String, Object> parameters) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record JobSummary(String name, String description, Schedule schedule, Instant nextRunAt, boolean supportsDateRange,
			List<JobParameter> parameters, JobRun lastRun) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Schedule(String cron, String zone, boolean enabled) {
	}

	record JobList(List<JobSummary> jobs) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RunPage(List<JobRun> runs, String nextCursor) {
	}

	@GetMapping
	JobList jobs(Workspace workspace) {
		return new JobList(this.scheduler.jobs().stream().map((job) -> {
			String cron = this.scheduler.cron(job.name());
			Schedule schedule = (cron != null)
					? new Schedule(cron, this.scheduler.zone(), this.scheduler.schedulesEnabled()) : null;
			return new JobSummary(job.name(), job.description(), schedule, this.scheduler.nextRun(job.name()),
					job.supportsDateRange(), job.parameters(),
					this.scheduler.latest(job.name(), workspace.id()).orElse(null));
		}).toList());
	}

	@PostMapping("/{job}/runs")
	ResponseEntity<JobRun> trigger(Workspace workspace, @PathVariable String job,
			@RequestBody(required = false) TriggerRunRequest body) {
		JobRequest request = (body != null) ? new JobRequest(body.from(), body.to(), body.parameters())
				: JobRequest.DEFAULT;
		return accepted(this.scheduler.trigger(job, workspace.id(), request).run());
	}

	/**
	 * @param run a queued run
	 * @return 202 with the run and its location
	 */
	static ResponseEntity<JobRun> accepted(JobRun run) {
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.location(URI.create("/v1/jobs/runs/" + run.runId()))
			.body(run);
	}

	@GetMapping("/{job}/runs")
	RunPage runs(Workspace workspace, @PathVariable String job, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) String cursor) {
		this.scheduler.job(job);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter",
					"limit must be between 1 and " + MAX_LIMIT);
		}
		RunCursor after = (cursor != null && !cursor.isEmpty()) ? RunCursor.decode(cursor) : null;
		List<JobRun> page = this.scheduler.history(job, workspace.id(), (after != null) ? after.queuedAt() : null,
				(after != null) ? after.runId() : null, limit + 1);
		String next = null;
		if (page.size() > limit) {
			page = page.subList(0, limit);
			JobRun last = page.get(limit - 1);
			next = new RunCursor(last.queuedAt(), last.runId()).encode();
		}
		return new RunPage(page, next);
	}

	@GetMapping("/runs/{runId}")
	JobRun run(Workspace workspace, @PathVariable UUID runId) {
		return this.scheduler.find(workspace.id(), runId)
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
					"unknown-run", "Unknown run", "this workspace has no run " + runId), null));
	}

}
