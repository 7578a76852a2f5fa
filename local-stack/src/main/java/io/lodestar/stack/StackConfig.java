package io.lodestar.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the local stack keeps its state and which loopback ports it uses; every port can
 * be changed with an environment variable.
 *
 * @param root the project root (holds the built modules)
 * @param varDir the state folder: data, logs, pid files
 * @param postgresPort PostgreSQL ({@code LODESTAR_PG_PORT})
 * @param kafkaPort the broker's client port ({@code LODESTAR_KAFKA_PORT})
 * @param kafkaControllerPort the KRaft controller port
 * ({@code LODESTAR_KAFKA_CONTROLLER_PORT})
 * @param services the services, in start order, each with its port
 * @param spark a Spark standalone cluster (Master and Worker) to start and run
 * etl-service's Spark on, or null: Spark inside etl-service ({@code local[*]})
 */
public record StackConfig(Path root, Path varDir, int postgresPort, int kafkaPort, int kafkaControllerPort,
		List<ServiceSpec> services, SparkCluster.Config spark) {

	/** The write key the local stack creates for the {@code demo} workspace. */
	public static final String DEV_WRITE_KEY = "lodestar-dev-write-key";

	/** The workspace of the sample data. */
	public static final String DEV_WORKSPACE = "demo";

	/**
	 * The configuration from environment variables, with the documented defaults.
	 * @param root the project root
	 * @param env the environment
	 * @return the configuration
	 */
	public static StackConfig fromEnvironment(Path root, Map<String, String> env) {
		Function<String, Integer> port = (name) -> Integer.parseInt(env.getOrDefault(name, DEFAULTS.get(name)));
		Path varDir = Path.of(env.getOrDefault("LODESTAR_VAR_DIR", root.resolve("var").toString()));
		SparkCluster.Config spark = null;
		String cluster = env.getOrDefault("LODESTAR_SPARK_CLUSTER", "");
		if ("standalone".equals(cluster)) {
			spark = new SparkCluster.Config(port.apply("LODESTAR_SPARK_MASTER_PORT"),
					port.apply("LODESTAR_SPARK_MASTER_WEBUI_PORT"), port.apply("LODESTAR_SPARK_WORKER_WEBUI_PORT"),
					Integer.parseInt(env.getOrDefault("LODESTAR_SPARK_WORKER_CORES", "2")),
					env.getOrDefault("LODESTAR_SPARK_WORKER_MEMORY", "2g"));
		}
		else if (!cluster.isEmpty()) {
			throw new IllegalArgumentException(
					"LODESTAR_SPARK_CLUSTER is '" + cluster + "': leave it unset or set it to 'standalone'");
		}
		return new StackConfig(root, varDir, port.apply("LODESTAR_PG_PORT"), port.apply("LODESTAR_KAFKA_PORT"),
				port.apply("LODESTAR_KAFKA_CONTROLLER_PORT"),
				List.of(ServiceSpec.of("ingestion-service", port.apply("LODESTAR_INGESTION_PORT"), "512m"),
						ServiceSpec.of("profile-service", port.apply("LODESTAR_PROFILE_PORT"),
								env.getOrDefault("LODESTAR_PROFILE_HEAP", "1g")),
						ServiceSpec.of("segment-service", port.apply("LODESTAR_SEGMENT_PORT"), "384m"),
						ServiceSpec.of("recommender-service", port.apply("LODESTAR_RECOMMENDER_PORT"), "384m"),
						ServiceSpec.of("etl-service", port.apply("LODESTAR_ETL_PORT"), "3g", "profile-service"),
						ServiceSpec.of("api-gateway", port.apply("LODESTAR_GATEWAY_PORT"), "384m")),
				spark);
	}

	private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("LODESTAR_PG_PORT", "15432"),
			Map.entry("LODESTAR_KAFKA_PORT", "19092"), Map.entry("LODESTAR_KAFKA_CONTROLLER_PORT", "19093"),
			Map.entry("LODESTAR_GATEWAY_PORT", "8080"), Map.entry("LODESTAR_INGESTION_PORT", "8081"),
			Map.entry("LODESTAR_PROFILE_PORT", "8082"), Map.entry("LODESTAR_SEGMENT_PORT", "8083"),
			Map.entry("LODESTAR_RECOMMENDER_PORT", "8084"), Map.entry("LODESTAR_ETL_PORT", "8085"),
			Map.entry("LODESTAR_SPARK_MASTER_PORT", "17077"), Map.entry("LODESTAR_SPARK_MASTER_WEBUI_PORT", "18080"),
			Map.entry("LODESTAR_SPARK_WORKER_WEBUI_PORT", "18081"));

	/**
	 * The same stack with only some services (the infrastructure always runs).
	 * @param names the services to keep
	 * @return the reduced configuration
	 */
	public StackConfig onlyServices(java.util.Collection<String> names) {
		return new StackConfig(this.root, this.varDir, this.postgresPort, this.kafkaPort, this.kafkaControllerPort,
				this.services.stream().filter((service) -> names.contains(service.name())).toList(), this.spark);
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.postgresPort + "/lodestar";
	}

	public String kafkaBootstrap() {
		return "127.0.0.1:" + this.kafkaPort;
	}

	public ServiceSpec service(String name) {
		return this.services.stream()
			.filter((service) -> service.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no service " + name));
	}

	public String gatewayUrl() {
		return service("api-gateway").url();
	}

	public Path logDir() {
		return this.varDir.resolve("log");
	}

	public Path runDir() {
		return this.varDir.resolve("run");
	}

	public Path dataDir() {
		return this.varDir.resolve("data");
	}

	/**
	 * The environment every service gets: where the infrastructure and the other services
	 * are.
	 * @return the variables
	 */
	public Map<String, String> serviceEnvironment() {
		java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
		env.put("LODESTAR_JDBC_URL", jdbcUrl());
		env.put("LODESTAR_JDBC_USER", "lodestar");
		env.put("LODESTAR_JDBC_PASSWORD", "lodestar");
		env.put("LODESTAR_KAFKA_BOOTSTRAP", kafkaBootstrap());
		env.put("LODESTAR_DATA_DIR", dataDir().toAbsolutePath().toString());
		env.put("LODESTAR_BIND_ADDRESS", "127.0.0.1");
		env.put("LODESTAR_BOOTSTRAP_WRITE_KEY", DEV_WRITE_KEY);
		env.put("LODESTAR_BOOTSTRAP_WORKSPACE", DEV_WORKSPACE);
		LocalSecrets secrets = new LocalSecrets(this.varDir);
		env.put("LODESTAR_ADMIN_USERNAME", LocalSecrets.ADMIN_USERNAME);
		env.put("LODESTAR_ADMIN_PASSWORD", secrets.adminPassword());
		env.put("LODESTAR_ADMIN_WORKSPACE", DEV_WORKSPACE);
		env.put("LODESTAR_TOKEN_SECRET", secrets.tokenSecret());
		env.put("LODESTAR_SERVICE_SECRET", secrets.serviceSecret());
		env.put("LODESTAR_CONNECTOR_CREDENTIAL_KEY", secrets.connectorCredentialKey());
		if (this.spark != null) {
			env.put("LODESTAR_SPARK_MASTER", this.spark.masterUrl());
		}
		for (ServiceSpec service : this.services) {
			env.put(service.portVariable(), String.valueOf(service.port()));
			env.put(service.urlVariable(), service.url());
		}
		return env;
	}

}
