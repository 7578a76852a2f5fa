package io.lodestar.ingestion.connector.meta;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.ratelimit.RetryAfter;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * Turns a Meta Graph API error response into the exception the run reacts to. Matches on
 * the structured {@code error.code}, never on the message text.
 */
public final class MetaErrors {

	/**
	 * Throttling codes: application (4), user (17), ad account (613), ads insights
	 * (80000) and ad account business use case (80004) limits.
	 */
	static final Set<Integer> THROTTLE_CODES = Set.of(4, 17, 613, 80000, 80004);

	/** Expired or invalid access token. */
	static final int TOKEN_INVALID = 190;

	private MetaErrors() {
	}

	/**
	 * The exception for a non-2xx response.
	 * @param json the mapper
	 * @param status the HTTP status
	 * @param body the response body
	 * @param header a response header by name, {@code null} when absent
	 * @param clock now
	 * @return a {@link ThrottledException}, a {@link SourceAuthenticationException} or an
	 * {@link IllegalStateException} naming the status and error code
	 */
	public static RuntimeException toException(JsonMapper json, int status, String body,
			Function<String, String> header, Clock clock) {
		int code = -1;
		int subcode = -1;
		try {
			JsonNode error = json.readTree(body).path("error");
			code = error.path("code").asInt(-1);
			subcode = error.path("error_subcode").asInt(-1);
		}
		catch (JacksonException ex) {
			// not JSON: classify on the status alone
		}
		if (code == TOKEN_INVALID || status == 401) {
			return new SourceAuthenticationException("Meta rejected the access token (code " + code + ", subcode "
					+ subcode + "): reconnect the account");
		}
		if (THROTTLE_CODES.contains(code)) {
			String reason = "Meta rate limit (code " + code + ")";
			Duration regain = regainAccess(json, header.apply("x-business-use-case-usage"));
			return new ThrottledException(
					regain.isZero() ? Throttle.transientLimit(reason) : Throttle.retryAfter(regain, reason));
		}
		if (status == 429) {
			return new ThrottledException(RetryAfter.parse(header.apply("Retry-After"), clock)
				.map((wait) -> Throttle.retryAfter(wait, "Meta HTTP 429"))
				.orElseGet(() -> Throttle.transientLimit("Meta HTTP 429")));
		}
		return new IllegalStateException("Meta API answered HTTP " + status + " with error code " + code);
	}

	/**
	 * The longest {@code estimated_time_to_regain_access} (minutes) in the business use
	 * case usage header.
	 * @param json the mapper
	 * @param value the header value (JSON), may be {@code null}
	 * @return the wait, zero if none
	 */
	static Duration regainAccess(JsonMapper json, String value) {
		if (value == null || value.isBlank()) {
			return Duration.ZERO;
		}
		long minutes = 0;
		try {
			for (JsonNode account : json.readTree(value)) {
				for (JsonNode usage : account) {
					minutes = Math.max(minutes, usage.path("estimated_time_to_regain_access").asLong(0));
				}
			}
		}
		catch (JacksonException ex) {
			return Duration.ZERO;
		}
		return Duration.ofMinutes(minutes);
	}

}
