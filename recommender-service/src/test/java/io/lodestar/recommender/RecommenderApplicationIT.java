package io.lodestar.recommender;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts on the real database, migrates its own schema, and reports ready.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecommenderApplicationIT {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void migratesItsSchemaAndIsReady() throws Exception {
		assertThat(this.jdbc.queryForObject(
				"select count(*) from recommender.flyway_schema_history where success and version = '1'",
				Integer.class))
			.isEqualTo(1);
		HttpResponse<String> readiness = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"status\":\"UP\"");
	}

}
