package io.lodestar.ingestion.collector;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.Problems;

/**
 * A request the collector refuses, answered as RFC 9457 problem JSON.
 */
class CollectorException extends ErrorResponseException {

	private CollectorException(HttpStatus status, ProblemDetail problem, HttpHeaders headers) {
		super(status, problem, null);
		getHeaders().addAll(headers);
	}

	static CollectorException malformed(String detail) {
		return new CollectorException(HttpStatus.BAD_REQUEST,
				Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail),
				new HttpHeaders());
	}

	static CollectorException invalidMessages(List<Map<String, Object>> rejected, int accepted) {
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-messages", "Invalid messages",
				rejected.size() + " message(s) rejected, " + accepted + " accepted");
		problem.setProperty("accepted", accepted);
		problem.setProperty("rejected", rejected);
		return new CollectorException(HttpStatus.BAD_REQUEST, problem, new HttpHeaders());
	}

	static CollectorException unauthorized(String detail) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lodestar\"");
		return new CollectorException(HttpStatus.UNAUTHORIZED,
				Problems.of(HttpStatus.UNAUTHORIZED, "invalid-write-key", "Invalid write key", detail), headers);
	}

	static CollectorException tooLarge(String detail) {
		return new CollectorException(HttpStatus.CONTENT_TOO_LARGE,
				Problems.of(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request too large", detail),
				new HttpHeaders());
	}

	static CollectorException rateLimited(long retryAfterSeconds) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
		return new CollectorException(HttpStatus.TOO_MANY_REQUESTS, Problems.of(HttpStatus.TOO_MANY_REQUESTS,
				"rate-limited", "Rate limit exceeded",
				"this workspace sends more events than its rate allows; retry after " + retryAfterSeconds + " s"),
				headers);
	}

	static CollectorException unavailable(long retryAfterSeconds) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
		return new CollectorException(HttpStatus.SERVICE_UNAVAILABLE,
				Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "event-store-unavailable", "Event store unavailable",
						"the events could not be stored durably; nothing was accepted, retry later"),
				headers);
	}

}
