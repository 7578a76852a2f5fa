package io.lodestar.recommender;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts on the real database, migrates its own schema, and reports ready
 * (the models in memory included).
 */
class RecommenderApplicationIT extends RecommenderIntegrationTest {

	@Test
	void migratesItsSchemaAndIsReady() throws Exception {
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.flyway_schema_history where success and version in ('1', '2', '3')",
				Integer.class))
			.isEqualTo(3);
		HttpResponse<String> readiness = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void describesItsApiForTheGatewaysOpenApiDocument() throws Exception {
		HttpResponse<String> docs = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v3/api-docs")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(docs.body()).contains("/v1/recommendations/profiles/{profileId}",
				"/v1/recommendations/items/{itemId}/similar", "/v1/recommendations/models/{versionId}/pin",
				"/v1/recommendations/models/rollback", "/v1/recommendations/feedback", "/v1/recommendations/settings",
				"VersionView", "ProfileRecommendations");
	}

}
