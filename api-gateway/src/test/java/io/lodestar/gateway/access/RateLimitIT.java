package io.lodestar.gateway.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.gateway.StubService;
import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits in the running gateway, with small limits: a caller past its burst, and too
 * many logins from one address, get 429 problems with Retry-After.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.gateway.security.rate-limit.requests-per-second=1",
				"lodestar.gateway.security.rate-limit.burst=3",
				"lodestar.gateway.security.rate-limit.logins-per-minute=2" })
class RateLimitIT {

	private static final String PASSWORD = "rate-limit-admin-password";

	private static final StubService SERVICES = StubService.start("service");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
		registry.add("spring.flyway.schemas", () -> "gateway_rate_limit");
		registry.add("spring.flyway.default-schema", () -> "gateway_rate_limit");
		registry.add("spring.datasource.hikari.schema", () -> "gateway_rate_limit");
		registry.add("lodestar.gateway.security.admin.password", () -> PASSWORD);
		for (String service : new String[] { "ingestion", "profile", "segment", "recommender", "etl" }) {
			registry.add("lodestar.gateway." + service + "-url", SERVICES::url);
		}
	}

	@AfterAll
	static void stop() {
		SERVICES.close();
	}

	@Test
	void aCallerPastItsBurstAndRepeatedLoginsAreToldToWait() throws Exception {
		HttpResponse<String> login = login(PASSWORD);
		assertThat(login.statusCode()).isEqualTo(200);
		String token = JsonMapper.builder().build().readTree(login.body()).get("accessToken").asString();

		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> limited = null;
		for (int i = 0; i < 6 && limited == null; i++) {
			HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/v1/segments"))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			statuses.add(response.statusCode());
			if (response.statusCode() == 429) {
				limited = response;
			}
		}
		assertThat(statuses).startsWith(200, 200, 200).contains(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(limited.body()).contains("https://lodestar.io/problems/rate-limited");

		assertThat(login("wrong-password").statusCode()).isEqualTo(401);
		HttpResponse<String> tooMany = login("wrong-password");
		assertThat(tooMany.statusCode()).isEqualTo(429);
		assertThat(tooMany.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
	}

	private HttpResponse<String> login(String password) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri("/v1/auth/login"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
