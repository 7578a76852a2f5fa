package io.lodestar.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Posts Segment-spec batches to the collector ({@code POST /v1/batch}) the way the SDKs
 * do: write key as the Basic username, retries on 429 and 5xx honouring
 * {@code Retry-After}.
 */
final class CollectorClient {

	private static final int MAX_ATTEMPTS = 8;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final URI batchUri;

	private final String authorization;

	CollectorClient(String baseUrl, String writeKey) {
		this.batchUri = URI.create(baseUrl + "/v1/batch");
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
	}

	void send(List<Map<String, Object>> batch) throws IOException, InterruptedException {
		// no sentAt: a historical import's timestamps are taken as they are, not
		// skew-corrected
		byte[] body = this.json.writeValueAsBytes(Map.of("batch", batch));
		HttpRequest request = HttpRequest.newBuilder(this.batchUri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Authorization", this.authorization)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		for (int attempt = 1;; attempt++) {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			int status = response.statusCode();
			if (status == 200) {
				return;
			}
			boolean retryable = status == 429 || status >= 500;
			if (!retryable || attempt == MAX_ATTEMPTS) {
				throw new IOException(
						"collector answered " + status + " to a batch of " + batch.size() + ": " + response.body());
			}
			long waitMillis = response.headers()
				.firstValue("Retry-After")
				.map((seconds) -> Long.parseLong(seconds.trim()) * 1000)
				.orElse(200L * attempt);
			Thread.sleep(waitMillis);
		}
	}

}
