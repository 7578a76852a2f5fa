package io.lodestar.etl.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.Problems;

/**
 * No job has that name: 404 problem {@code unknown-job}.
 */
class UnknownJobException extends ErrorResponseException {

	UnknownJobException(String job, java.util.Collection<String> known) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "unknown-job", "Unknown job",
				"there is no job '" + job + "'; the jobs are " + String.join(", ", known)), null);
	}

}
