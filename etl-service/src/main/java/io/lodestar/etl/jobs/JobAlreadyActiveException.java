package io.lodestar.etl.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.Problems;

/**
 * The job already has a queued or running run for the workspace: 409 problem
 * {@code job-already-running} naming that run.
 */
public class JobAlreadyActiveException extends ErrorResponseException {

	JobAlreadyActiveException(String job, JobRun active) {
		super(HttpStatus.CONFLICT, problem(job, active), null);
	}

	private static ProblemDetail problem(String job, JobRun active) {
		ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "job-already-running", "Job already running",
				"job '" + job + "' already has a " + ((active != null) ? active.status().value() : "queued or running")
						+ " run for this workspace; one run at a time");
		if (active != null) {
			problem.setProperty("activeRunId", active.runId());
			problem.setProperty("activeRunStatus", active.status().value());
		}
		return problem;
	}

}
