package io.lodestar.ingestion.connector.google;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * Google API errors ({@code {"error": {code, status, details}}}, for Google Ads inside a
 * stream array) to what a run does. Classifies on {@code status} and the
 * {@code quotaError} code, reading the message only to tell GA4's hourly and daily token
 * quotas apart, which share the status.
 */
final class GoogleErrors {

	/** GA4 daily quotas reset at midnight Pacific time. */
	static final ZoneId GA4_QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

	private GoogleErrors() {
	}

	/** The {@code error} object of a body, unwrapping Google Ads' stream array. */
	static JsonNode error(JsonMapper json, String body) {
		try {
			JsonNode root = json.readTree(body);
			if (root.isArray() && !root.isEmpty()) {
				root = root.get(0);
			}
			return root.path("error");
		}
		catch (JacksonException ex) {
			return json.missingNode();
		}
	}

	/**
	 * Google Ads: {@code quotaError} RESOURCE_TEMPORARILY_EXHAUSTED waits its
	 * {@code retryDelay}; RESOURCE_EXHAUSTED (the developer token's daily operations)
	 * pauses the connector for its {@code retryDelay}; UNAUTHENTICATED and
	 * PERMISSION_DENIED are auth failures.
	 */
	static RuntimeException googleAds(JsonMapper json, int status, String body, Clock clock) {
		JsonNode error = error(json, body);
		String state = error.path("status").asString("");
		String quota = "";
		Duration delay = null;
		String authorization = "";
		for (JsonNode detail : error.path("details")) {
			for (JsonNode failure : detail.path("errors")) {
				quota = failure.path("errorCode").path("quotaError").asString(quota);
				authorization = failure.path("errorCode").path("authorizationError").asString(authorization);
				String retry = failure.path("details").path("quotaErrorDetails").path("retryDelay").asString("");
				if (!retry.isEmpty()) {
					delay = seconds(retry);
				}
			}
		}
		if (status == 401 || "UNAUTHENTICATED".equals(state)) {
			return new SourceAuthenticationException("Google Ads rejected the credentials (UNAUTHENTICATED)");
		}
		if (status == 403 || "PERMISSION_DENIED".equals(state)) {
			return new SourceAuthenticationException(
					"Google Ads denied access (" + (authorization.isEmpty() ? "PERMISSION_DENIED" : authorization)
							+ "): check the customer id and, through a manager account, loginCustomerId");
		}
		if ("RESOURCE_EXHAUSTED".equals(quota)) {
			Instant resume = clock.instant().plus((delay != null) ? delay : Duration.ofHours(24));
			return new ThrottledException(Throttle.dailyQuota(resume, "Google Ads quota RESOURCE_EXHAUSTED"));
		}
		if (status == 429 || "RESOURCE_TEMPORARILY_EXHAUSTED".equals(quota) || "RESOURCE_EXHAUSTED".equals(state)) {
			String reason = "Google Ads quota " + (quota.isEmpty() ? state : quota);
			return new ThrottledException(
					(delay != null) ? Throttle.retryAfter(delay, reason) : Throttle.transientLimit(reason));
		}
		if (status >= 500) {
			return new ThrottledException(Throttle.transientLimit("Google Ads HTTP " + status));
		}
		return new IllegalStateException("Google Ads answered HTTP " + status + " " + state);
	}

	/**
	 * GA4: RESOURCE_EXHAUSTED per hour waits until the next hour, per day pauses the
	 * connector until midnight Pacific time.
	 */
	static RuntimeException ga4(JsonMapper json, int status, String body, Clock clock) {
		JsonNode error = error(json, body);
		String state = error.path("status").asString("");
		if (status == 401 || "UNAUTHENTICATED".equals(state)) {
			return new SourceAuthenticationException("GA4 rejected the credentials (UNAUTHENTICATED)");
		}
		if (status == 403 || "PERMISSION_DENIED".equals(state)) {
			return new SourceAuthenticationException(
					"GA4 denied access to the property (PERMISSION_DENIED): grant the account Viewer on it");
		}
		if ("RESOURCE_EXHAUSTED".equals(state) || status == 429) {
			String message = error.path("message").asString("").toLowerCase(java.util.Locale.ROOT);
			if (message.contains("per day")) {
				ZonedDateTime midnight = LocalDate.now(clock.withZone(GA4_QUOTA_ZONE))
					.plusDays(1)
					.atStartOfDay(GA4_QUOTA_ZONE);
				return new ThrottledException(
						Throttle.dailyQuota(midnight.toInstant(), "GA4 property tokens per day exhausted"));
			}
			Instant now = clock.instant();
			Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
			return new ThrottledException(Throttle.retryAfter(Duration.between(now, nextHour),
					"GA4 " + (message.contains("per hour") ? "tokens per hour" : "quota") + " exhausted"));
		}
		if (status >= 500) {
			return new ThrottledException(Throttle.transientLimit("GA4 HTTP " + status));
		}
		return new IllegalStateException("GA4 answered HTTP " + status + " " + state);
	}

	private static Duration seconds(String retryDelay) {
		try {
			return Duration.ofMillis((long) (Double.parseDouble(retryDelay.replace("s", "")) * 1000));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
