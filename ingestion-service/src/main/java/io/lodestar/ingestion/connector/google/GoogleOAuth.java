package io.lodestar.ingestion.connector.google;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * The OAuth 2 refresh-token grant: a connector stores {@code clientId},
 * {@code clientSecret} and {@code refreshToken}; each run exchanges them for a
 * short-lived access token.
 */
final class GoogleOAuth {

	private GoogleOAuth() {
	}

	/**
	 * @param context the run
	 * @param tokenUrl e.g. {@code https://oauth2.googleapis.com/token}
	 * @return an access token
	 * @throws Exception a {@link SourceAuthenticationException} for a revoked or expired
	 * grant
	 */
	static String accessToken(ConnectorContext context, URI tokenUrl) throws Exception {
		String form = "client_id=" + encode(context.credentials().get("clientId")) + "&client_secret="
				+ encode(context.credentials().get("clientSecret")) + "&refresh_token="
				+ encode(context.credentials().get("refreshToken")) + "&grant_type=refresh_token";
		return context.retrier().call(() -> {
			HttpResponse<String> response = context.http()
				.send(HttpRequest.newBuilder(tokenUrl)
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
			return token(context, response);
		});
	}

	private static String token(ConnectorContext context, HttpResponse<String> response) throws IOException {
		JsonNode body;
		try {
			body = context.json().readTree(response.body());
		}
		catch (JacksonException ex) {
			body = context.json().createObjectNode();
		}
		int status = response.statusCode();
		if (status == 400 || status == 401) {
			throw new SourceAuthenticationException("Google refused the refresh token ("
					+ body.path("error").asString("HTTP " + status) + "): reconnect the account");
		}
		if (status == 429 || status >= 500) {
			throw new ThrottledException(Throttle.transientLimit("Google OAuth HTTP " + status));
		}
		if (status / 100 != 2 || !body.path("access_token").isString()) {
			throw new MalformedPageException("Google OAuth answered HTTP " + status + " without an access_token");
		}
		return body.get("access_token").stringValue();
	}

	static String encode(String value) {
		return URLEncoder.encode((value != null) ? value : "", StandardCharsets.UTF_8);
	}

}
