package io.lodestar.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A client error answered with a 400 problem of a stable type.
 */
public class BadRequestException extends ErrorResponseException {

	public BadRequestException(String type, String title, String detail) {
		super(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, type, title, detail), null);
	}

}
