package io.lodestar.ingestion.connector;

/**
 * A source rejected the connector's credentials (expired or revoked token, wrong key).
 * The run fails with this message; retrying won't help until the credentials change.
 */
public class SourceAuthenticationException extends RuntimeException {

	/**
	 * A rejection.
	 * @param message what the source said, without the credential
	 */
	public SourceAuthenticationException(String message) {
		super(message, null, false, false);
	}

}
