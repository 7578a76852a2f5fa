package io.lodestar.etl.jobs;

/**
 * The workspace's data cannot give a result (too few buyers, no interactions): the run
 * fails with this message and is not retried, since a retry would see the same data.
 */
public class JobDataException extends RuntimeException {

	public JobDataException(String message) {
		super(message);
	}

}
