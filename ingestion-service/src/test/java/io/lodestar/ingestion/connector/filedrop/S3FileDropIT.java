package io.lodestar.ingestion.connector.filedrop;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.adobe.testing.s3mock.S3MockApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.ingestion.connector.ConnectorScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code file-drop} on an S3-compatible bucket: an in-process S3Mock, objects put with
 * the AWS SDK, listed under a prefix, each version (ETag) imported once.
 */
class S3FileDropIT extends ConnectorScenario {

	private static final String WS = "ws-s3";

	private static S3MockApplication s3mock;

	private static S3Client s3;

	private String bucket;

	@BeforeAll
	static void startS3() {
		// what s3mock's own application.properties says (it is shadowed on this
		// classpath)
		Map<String, Object> properties = new java.util.HashMap<>(Map.of("com.adobe.testing.s3mock.httpPort",
				"${http.port}", "com.adobe.testing.s3mock.max-payload-size", "10MB",
				"management.endpoints.access.default", "none", "spring.main.lazy-initialization", true));
		properties.putAll(Map.of(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
				S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT, S3MockApplication.PROP_SILENT, true,
				"server.address", "127.0.0.1", "spring.autoconfigure.exclude",
				String.join(",", "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
						"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
						"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
						"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
						"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
						"io.lodestar.web.WebSupportAutoConfiguration"),
				"com.adobe.testing.s3mock.store.region", "us-east-1", "spring.jmx.enabled", false));
		s3mock = S3MockApplication.start(properties);
		s3 = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", "sk")))
			.endpointOverride(URI.create("http://127.0.0.1:" + s3mock.getHttpPort()))
			.forcePathStyle(true)
			.build();
	}

	@AfterAll
	static void stopS3() {
		if (s3 != null) {
			s3.close();
		}
		if (s3mock != null) {
			s3mock.stop();
		}
	}

	@BeforeEach
	void bucket() {
		CLOCK.set(Instant.parse("2026-11-24T03:00:00Z"));
		this.bucket = "drops-" + UUID.randomUUID().toString().substring(0, 8);
		s3.createBucket((request) -> request.bucket(this.bucket));
	}

	@Test
	void objectsUnderThePrefixAreImportedOncePerETag() {
		put("incoming/shop-123/2024-06-01/events_000.ndjson",
				"""
						{"type":"track","userId":"u-1","event":"Order Completed","properties":{"revenue":19.99},"messageId":"s3-1"}
						{"type":"identify","userId":"u-1","traits":{"plan":"pro"},"messageId":"s3-2"}
						""");
		put("incoming/shop-123/2024-06-02/events_000.ndjson", """
				{"type":"track","userId":"u-2","event":"Signed Up","messageId":"s3-3"}
				""");
		put("elsewhere/events.ndjson",
				"{\"type\":\"track\",\"userId\":\"u-3\",\"event\":\"X\",\"messageId\":\"s3-4\"}\n");
		String id = create(WS, FileDropConnector.KIND, "S3 " + UUID.randomUUID(),
				"{\"location\":\"s3\",\"bucket\":\"" + this.bucket + "\",\"prefix\":\"incoming/shop-123/\","
						+ "\"endpoint\":\"http://127.0.0.1:" + s3mock.getHttpPort() + "\",\"format\":\"ndjson\","
						+ "\"pattern\":\"*.ndjson\"}",
				"{\"accessKeyId\":\"ak\",\"secretAccessKey\":\"sk-secret\"}");

		JsonNode first = runNow(WS, id);

		assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
		assertThat(first.get("pages").asInt()).isEqualTo(2);
		assertThat(first.get("rows").asLong()).isEqualTo(3);
		List<EventEnvelope> events = events(id);
		assertThat(events).extracting(EventEnvelope::messageId).containsExactlyInAnyOrder("s3-1", "s3-2", "s3-3");
		assertThat(JSON.readTree(call("POST", "/v1/connectors/" + id + "/test", WS, null).body()).get("ok").asBoolean())
			.isTrue();

		JsonNode second = runNow(WS, id);
		assertThat(second.get("pages").asInt()).as("nothing new").isZero();

		put("incoming/shop-123/2024-06-02/events_000.ndjson", """
				{"type":"track","userId":"u-2","event":"Signed Up","messageId":"s3-3"}
				{"type":"track","userId":"u-2","event":"Order Completed","messageId":"s3-5"}
				""");
		JsonNode third = runNow(WS, id);
		assertThat(third.get("pages").asInt()).as("a new ETag is a new version").isEqualTo(1);
		assertThat(third.get("rows").asLong()).isEqualTo(2);
		assertThat(events(id).stream().map(EventEnvelope::eventId).distinct().count()).isEqualTo(4);
	}

	@Test
	void aMissingBucketFailsTheRunSayingSoWithoutTheSecret() {
		String id = create(WS, FileDropConnector.KIND, "S3 missing " + UUID.randomUUID(),
				"{\"location\":\"s3\",\"bucket\":\"no-such-bucket-" + UUID.randomUUID().toString().substring(0, 6)
						+ "\",\"endpoint\":\"http://127.0.0.1:" + s3mock.getHttpPort() + "\",\"format\":\"ndjson\"}",
				"{\"accessKeyId\":\"ak\",\"secretAccessKey\":\"sk-secret\"}");

		JsonNode run = runNow(WS, id);

		assertThat(run.get("status").asString()).isEqualTo("failed");
		assertThat(run.get("error").asString()).contains("S3 answered HTTP 404").contains("NoSuchBucket");
		assertThat(run.toString()).doesNotContain("sk-secret");
	}

	private void put(String key, String body) {
		s3.putObject((request) -> request.bucket(this.bucket).key(key), RequestBody.fromString(body));
	}

}
