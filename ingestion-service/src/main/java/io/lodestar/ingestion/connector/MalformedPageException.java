package io.lodestar.ingestion.connector;

/**
 * A page a source returned could not be read (truncated JSON, wrong types, missing
 * fields). The run fails with this message and its cursor stays where it was. The message
 * names the field, never a value that could carry personal data or credentials.
 */
public class MalformedPageException extends RuntimeException {

	/**
	 * A malformed page.
	 * @param message what was wrong, naming the field
	 */
	public MalformedPageException(String message) {
		super(message);
	}

	/**
	 * A malformed page.
	 * @param message what was wrong, naming the field
	 * @param cause the parser's error
	 */
	public MalformedPageException(String message, Throwable cause) {
		super(message, cause);
	}

}
