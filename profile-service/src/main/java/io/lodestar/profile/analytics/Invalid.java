package io.lodestar.profile.analytics;

import io.lodestar.web.BadRequestException;

/**
 * The 400 problem of an analytics query, pointing at the offending field.
 */
final class Invalid {

	private Invalid() {
	}

	/**
	 * @param pointer the JSON pointer (body) or parameter name of the bad value
	 * @param reason what is wrong, safe to show
	 * @return the exception to throw
	 */
	static BadRequestException at(String pointer, String reason) {
		BadRequestException exception = new BadRequestException("invalid-analytics-query", "Invalid analytics query",
				reason);
		exception.getBody().setProperty("pointer", pointer);
		return exception;
	}

}
