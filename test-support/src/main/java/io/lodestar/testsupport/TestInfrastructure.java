package io.lodestar.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.lodestar.infra.launch.InfraLauncher;
import io.lodestar.infra.launch.Ports;
import io.lodestar.infra.launch.RunningProcess;

/**
 * A real PostgreSQL and a real Kafka broker for integration tests, started once per test
 * JVM and stopped when it exits. Chosen in this order:
 * <ol>
 * <li>{@code LODESTAR_TEST_JDBC_URL} (+ {@code LODESTAR_TEST_JDBC_USER},
 * {@code LODESTAR_TEST_JDBC_PASSWORD}) and {@code LODESTAR_TEST_KAFKA_BOOTSTRAP} from the
 * environment, when both are set;</li>
 * <li>Testcontainers, when a Docker engine answers (and
 * {@code LODESTAR_TEST_INFRA=embedded} does not forbid it);</li>
 * <li>otherwise the embedded processes of local-infra: PostgreSQL from the embedded
 * binaries and a KRaft broker from the Maven classpath, each in its own JVM.</li>
 * </ol>
 */
public final class TestInfrastructure {

	private static volatile TestInfrastructure shared;

	private final String mode;

	private final String jdbcUrl;

	private final String username;

	private final String password;

	private final String bootstrapServers;

	private TestInfrastructure(String mode, String jdbcUrl, String username, String password, String bootstrapServers) {
		this.mode = mode;
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.password = password;
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * The infrastructure of this JVM, started on first use.
	 * @return the running infrastructure
	 */
	public static TestInfrastructure get() {
		TestInfrastructure infrastructure = shared;
		if (infrastructure == null) {
			synchronized (TestInfrastructure.class) {
				infrastructure = shared;
				if (infrastructure == null) {
					infrastructure = start();
					shared = infrastructure;
				}
			}
		}
		return infrastructure;
	}

	/**
	 * @return {@code environment}, {@code testcontainers} or {@code embedded}
	 */
	public String mode() {
		return this.mode;
	}

	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Points a Spring test context at this infrastructure (datasource, Flyway, Kafka).
	 * @param registry the registry of a {@code @DynamicPropertySource} method
	 */
	public static void registerSpringProperties(org.springframework.test.context.DynamicPropertyRegistry registry) {
		TestInfrastructure infrastructure = get();
		registry.add("spring.datasource.url", infrastructure::jdbcUrl);
		registry.add("spring.datasource.username", infrastructure::username);
		registry.add("spring.datasource.password", infrastructure::password);
		registry.add("spring.kafka.bootstrap-servers", infrastructure::bootstrapServers);
	}

	private static TestInfrastructure start() {
		String jdbc = System.getenv("LODESTAR_TEST_JDBC_URL");
		String kafka = System.getenv("LODESTAR_TEST_KAFKA_BOOTSTRAP");
		if (jdbc != null && kafka != null) {
			return new TestInfrastructure("environment", jdbc, envOr("LODESTAR_TEST_JDBC_USER", "lodestar"),
					envOr("LODESTAR_TEST_JDBC_PASSWORD", "lodestar"), kafka);
		}
		if (!"embedded".equals(System.getenv("LODESTAR_TEST_INFRA")) && dockerAnswers()) {
			return startContainers();
		}
		return startEmbedded();
	}

	private static boolean dockerAnswers() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static TestInfrastructure startContainers() {
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine").withDatabaseName("lodestar")
			.withUsername("lodestar")
			.withPassword("lodestar");
		KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");
		Thread kafkaStarter = new Thread(kafka::start, "kafka-container-start");
		kafkaStarter.start();
		postgres.start();
		try {
			kafkaStarter.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			kafka.stop();
			postgres.stop();
		}, "lodestar-test-containers"));
		return new TestInfrastructure("testcontainers", postgres.getJdbcUrl(), "lodestar", "lodestar",
				kafka.getBootstrapServers());
	}

	private static TestInfrastructure startEmbedded() {
		Path root = projectRoot();
		Path dir = workDirectory();
		InfraLauncher launcher = InfraLauncher.locate(root);
		int postgresPort = Ports.free();
		int kafkaPort = Ports.free();
		int controllerPort = Ports.free();
		// one thread each: the common pool has a single thread on a 2-core machine
		ExecutorService starters = Executors.newFixedThreadPool(2);
		CompletableFuture<RunningProcess> postgres = CompletableFuture.supplyAsync(
				() -> launcher.startPostgres(postgresPort, dir.resolve("postgres"), dir.resolve("postgres.log")),
				starters);
		CompletableFuture<RunningProcess> kafka = CompletableFuture.supplyAsync(
				() -> launcher.startKafka(kafkaPort, controllerPort, dir.resolve("kafka"), dir.resolve("kafka.log")),
				starters);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			kafka.thenAccept((process) -> process.stop(Duration.ofSeconds(20)));
			postgres.thenAccept((process) -> process.stop(Duration.ofSeconds(20)));
		}, "lodestar-test-infrastructure"));
		CompletableFuture.allOf(postgres, kafka).join();
		starters.shutdown();
		return new TestInfrastructure("embedded", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/lodestar",
				"lodestar", "lodestar", "127.0.0.1:" + kafkaPort);
	}

	private static Path workDirectory() {
		try {
			Path target = Path.of("target");
			Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
			return Files.createTempDirectory(base.toAbsolutePath(), "lodestar-it-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path projectRoot() {
		String configured = System.getProperty("lodestar.project.root");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve("local-infra")) && Files.exists(dir.resolve("pom.xml"))) {
				return dir;
			}
		}
		return null;
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
