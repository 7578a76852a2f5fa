package io.lodestar.infra.launch;

/**
 * A process could not be started or did not become ready; the message says which, why,
 * and which log file to read.
 */
public class LaunchException extends RuntimeException {

	public LaunchException(String message) {
		super(message);
	}

	public LaunchException(String message, Throwable cause) {
		super(message, cause);
	}

}
