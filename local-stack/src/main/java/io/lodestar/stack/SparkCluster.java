package io.lodestar.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lodestar.infra.launch.JavaProcess;
import io.lodestar.infra.launch.LaunchException;
import io.lodestar.infra.launch.RunningProcess;

/**
 * A real Spark 4.0 standalone cluster on 127.0.0.1 — one Master, one Worker, each its own
 * JVM — on the Spark installation local-spark builds from Maven jars
 * ({@code local-spark/target/spark-home}, used as {@code SPARK_HOME}). The Worker starts
 * the executors of the applications that connect, as separate JVMs on that installation's
 * jars only, the way a cluster's workers do (ADR 0035).
 */
public final class SparkCluster {

	static final String MASTER = "spark-master";

	static final String WORKER = "spark-worker";

	private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

	/**
	 * @param masterPort the Master's port ({@code LODESTAR_SPARK_MASTER_PORT})
	 * @param masterWebPort the Master's web UI and JSON status
	 * ({@code LODESTAR_SPARK_MASTER_WEBUI_PORT})
	 * @param workerWebPort the Worker's web UI ({@code LODESTAR_SPARK_WORKER_WEBUI_PORT})
	 * @param cores the cores the Worker offers ({@code LODESTAR_SPARK_WORKER_CORES})
	 * @param memory the memory the Worker offers its executors
	 * ({@code LODESTAR_SPARK_WORKER_MEMORY})
	 */
	public record Config(int masterPort, int masterWebPort, int workerWebPort, int cores, String memory) {

		public String masterUrl() {
			return "spark://127.0.0.1:" + this.masterPort;
		}

		public String masterWebUrl() {
			return "http://127.0.0.1:" + this.masterWebPort;
		}

		public String workerWebUrl() {
			return "http://127.0.0.1:" + this.workerWebPort;
		}

	}

	private final Config config;

	private final Path home;

	private final Path stateDir;

	private final List<String> jvmOptions;

	/**
	 * @param config ports and resources
	 * @param root the project root (holds the built local-spark module)
	 * @param stateDir where the Worker keeps its applications' folders and scratch space
	 * @param jvmOptions the JVM options Spark needs on this JDK (etl-service's)
	 */
	public SparkCluster(Config config, Path root, Path stateDir, List<String> jvmOptions) {
		this.config = config;
		this.home = root.resolve("local-spark/target/spark-home").toAbsolutePath();
		this.stateDir = stateDir.toAbsolutePath();
		this.jvmOptions = List.copyOf(jvmOptions);
	}

	/**
	 * @return whether local-spark's installation exists
	 */
	public boolean built() {
		return Files.isDirectory(this.home.resolve("jars"));
	}

	/**
	 * Starts the Master and waits until it serves its status.
	 * @param logFile where its output goes
	 * @return the running Master
	 */
	public RunningProcess startMaster(Path logFile) {
		RunningProcess master = process(MASTER, "org.apache.spark.deploy.master.Master", logFile)
			.args("--host", "127.0.0.1", "--port", String.valueOf(this.config.masterPort()), "--webui-port",
					String.valueOf(this.config.masterWebPort()))
			.start();
		return master.awaitOrStop(() -> aliveWorkers() >= 0, READY_TIMEOUT,
				"to serve " + this.config.masterWebUrl() + "/json/");
	}

	/**
	 * Starts the Worker and waits until the Master counts it alive.
	 * @param logFile where its output goes
	 * @return the running Worker
	 */
	public RunningProcess startWorker(Path logFile) {
		Path work = this.stateDir.resolve("work");
		createDirectories(work);
		RunningProcess worker = process(WORKER, "org.apache.spark.deploy.worker.Worker", logFile)
			.args("--host", "127.0.0.1", "--webui-port", String.valueOf(this.config.workerWebPort()), "--cores",
					String.valueOf(this.config.cores()), "--memory", this.config.memory(), "--work-dir",
					work.toString(), this.config.masterUrl())
			.start();
		return worker.awaitOrStop(() -> aliveWorkers() >= 1, READY_TIMEOUT,
				"to register with " + this.config.masterUrl());
	}

	private JavaProcess process(String name, String mainClass, Path logFile) {
		if (!built()) {
			throw new LaunchException("local-spark is not built (no " + this.home.resolve("jars")
					+ "): run ./mvnw -B -pl local-spark package");
		}
		Path tmp = this.stateDir.resolve("tmp").resolve(name);
		Path local = this.stateDir.resolve("local");
		createDirectories(tmp);
		createDirectories(local);
		List<String> options = new ArrayList<>(List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp));
		options.addAll(this.jvmOptions);
		// what bin/load-spark-env.sh and spark-env.sh set for a distribution's daemons
		return JavaProcess.mainClass(name, List.of(this.home.resolve("jars").resolve("*")), mainClass)
			.jvmOptions(options)
			.env(Map.of("SPARK_HOME", this.home.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP",
					"127.0.0.1", "SPARK_LOCAL_DIRS", local.toString()))
			.workingDirectory(this.stateDir)
			.logFile(logFile);
	}

	/**
	 * The workers the Master counts alive.
	 * @return their number, or -1 when the Master does not answer
	 */
	public int aliveWorkers() {
		String status = status();
		if (status == null) {
			return -1;
		}
		Matcher matcher = ALIVE_WORKERS.matcher(status);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
	}

	/**
	 * The Master's JSON status (workers, applications), or null when it does not answer.
	 * @return the JSON text
	 */
	public String status() {
		try {
			HttpResponse<String> response = HTTP
				.send(HttpRequest.newBuilder(URI.create(this.config.masterWebUrl() + "/json/"))
					.timeout(Duration.ofSeconds(3))
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static void createDirectories(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
