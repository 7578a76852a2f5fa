package io.lodestar.recommender;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

/**
 * The set-up every integration test of this service shares (one Spring context): the real
 * PostgreSQL of test-support with profile-service's migrations and this service's own,
 * applied by Flyway as the application runs. The background work runs only when a test
 * asks for it (intervals of an hour), so that each test controls when candidates are
 * decided, models reloaded and the sweep run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "lodestar.recommender.poll-interval=1h", "lodestar.recommender.reload-interval=1h",
				"lodestar.recommender.catalogue-refresh=1h", "lodestar.recommender.erasure-sweep-interval=1h",
				"lodestar.recommender.log-flush-interval=1h", "lodestar.recommender.popularity-refresh=1h" })
@AutoConfigureMockMvc
public abstract class RecommenderIntegrationTest {

	@Autowired
	protected MockMvc mvc;

	@Autowired
	protected JdbcTemplate jdbc;

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@BeforeAll
	static void profileSchema() {
		OwnerSchema.profile();
	}

}
