package io.lodestar.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP for the workspace isolation suite: requests as a caller (access token or API key)
 * in a workspace, their answers, and the gateway's signed word to the services
 * ({@code X-Lodestar-Assertion}, {@link GatewayWord}) so that the suite can call a
 * service's port directly with a valid, a forged or an expired assertion.
 */
final class IsolationHttp {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private IsolationHttp() {
	}

	/**
	 * A request: method, absolute URL, body (empty: none) and headers.
	 *
	 * @param method the HTTP method
	 * @param url the absolute URL with its query
	 * @param body the JSON body, empty for none
	 * @param headers the headers to send
	 */
	record Call(String method, String url, String body, Map<String, String> headers) {

		Call header(String name, String value) {
			Map<String, String> copy = new LinkedHashMap<>(this.headers);
			copy.put(name, value);
			return new Call(this.method, this.url, this.body, copy);
		}

		/** Everything the caller sent: what an answer may echo without leaking. */
		String sent() {
			return (this.url + "\n" + this.body + "\n" + this.headers.values()).toLowerCase(java.util.Locale.ROOT);
		}

		@Override
		public String toString() {
			return this.method + " " + this.url + (this.body.isEmpty() ? "" : " " + this.body);
		}

	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param contentType the content type, empty when absent
	 * @param body the body as text
	 */
	record Answer(int status, String contentType, String body) {

		boolean success() {
			return this.status >= 200 && this.status < 300;
		}

		boolean problem() {
			return this.contentType.startsWith("application/problem+json");
		}

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		@Override
		public String toString() {
			return this.status + " " + this.contentType + " "
					+ ((this.body.length() > 600) ? this.body.substring(0, 600) + "…" : this.body);
		}

	}

	static Call call(String method, String url, String body) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (!body.isEmpty()) {
			headers.put("Content-Type", "application/json");
		}
		return new Call(method, url, body, headers);
	}

	static Answer send(Call call) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url()))
			.timeout(Duration.ofSeconds(120))
			.method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(call.body()));
		call.headers().forEach(request::header);
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(call.toString(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A request of a signed-in user (or an API key given as the bearer) in a workspace.
	 */
	static Answer as(String token, String workspace, String method, String url, String body) {
		Call call = call(method, url, body).header("Authorization", "Bearer " + token);
		return send((workspace != null) ? call.header("X-Lodestar-Workspace", workspace) : call);
	}

	/** A collector request with a write key (HTTP Basic username, empty password). */
	static Answer collect(String url, String writeKey, String body) {
		String basic = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
		return send(call("POST", url, body).header("Authorization", "Basic " + basic));
	}

	/** Signs in and returns the access token. */
	static String signIn(String gatewayUrl, String username, String password) {
		Answer login = send(call("POST", gatewayUrl + "/v1/auth/login",
				"{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
		if (login.status() != 200) {
			throw new IllegalStateException("sign-in of " + username + " failed: " + login);
		}
		return login.json().get("accessToken").asString();
	}

	/**
	 * The gateway's word that it checked {@code workspace} and {@code actor}, valid until
	 * {@code expiresAt}: {@code v1.<b64url ws>.<b64url actor>.<expiry>.<b64url HMAC>}.
	 */
	static String assertion(String secret, String workspace, String actor, long expiresAt) {
		return GatewayWord.assertionUntil(secret.getBytes(StandardCharsets.UTF_8), workspace, actor, expiresAt);
	}

}
