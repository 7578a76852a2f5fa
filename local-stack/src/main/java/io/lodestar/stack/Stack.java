package io.lodestar.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.lodestar.infra.launch.InfraLauncher;
import io.lodestar.infra.launch.JavaProcess;
import io.lodestar.infra.launch.LaunchException;
import io.lodestar.infra.launch.Ports;
import io.lodestar.infra.launch.RunningProcess;

/**
 * Starts the platform (PostgreSQL, Kafka, every service) as separate JVMs on 127.0.0.1,
 * records their pids under {@code var/run}, and stops exactly those.
 */
public final class Stack {

	static final String POSTGRES = "postgres";

	static final String KAFKA = "kafka";

	private static final Duration SERVICE_READY_TIMEOUT = Duration.ofMinutes(4);

	private static final Duration STOP_GRACE = Duration.ofSeconds(30);

	/**
	 * JVM options a service's exec jar asks for, one a line (e.g. Spark's --add-opens).
	 */
	/**
	 * Where a service's jar may carry the JVM options it needs (etl-service: Spark's
	 * add-opens).
	 */
	private static final List<String> JVM_OPTIONS_ENTRIES = List.of("BOOT-INF/classes/META-INF/jvm-options.txt",
			"META-INF/jvm-options.txt");

	private final StackConfig config;

	private final PrintStream out;

	/**
	 * One thread per process being waited on: the common pool has a single thread on 2
	 * cores.
	 */
	private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors
		.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "lodestar-launch");
			thread.setDaemon(true);
			return thread;
		});

	public Stack(StackConfig config, PrintStream out) {
		this.config = config;
		this.out = out;
	}

	/**
	 * Starts everything and waits until every service is ready. On failure, stops what it
	 * started and throws with the log file to read.
	 */
	public void start() {
		List<String> running = runningProcesses();
		if (!running.isEmpty()) {
			throw new LaunchException("the stack is already running (" + String.join(", ", running)
					+ "): use ./lodestar status, or ./lodestar down first");
		}
		checkBuilt();
		checkPortsFree();
		try {
			Files.createDirectories(this.config.logDir());
			Files.createDirectories(this.config.dataDir());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			startInfrastructure();
			startServices();
		}
		catch (RuntimeException ex) {
			this.out.println("✗ start failed; stopping what was started");
			stop();
			throw unwrap(ex);
		}
	}

	private void startInfrastructure() {
		InfraLauncher launcher = InfraLauncher.locate(this.config.root());
		long started = System.nanoTime();
		CompletableFuture<Void> postgres = CompletableFuture.runAsync(() -> track(
				POSTGRES, "127.0.0.1:" + this.config.postgresPort(), () -> launcher
					.startPostgres(this.config.postgresPort(), this.config.varDir().resolve(POSTGRES), log(POSTGRES)),
				started), this.executor);
		CompletableFuture<Void> kafka = CompletableFuture
			.runAsync(() -> track(
					KAFKA, this.config.kafkaBootstrap(), () -> launcher.startKafka(this.config.kafkaPort(),
							this.config.kafkaControllerPort(), this.config.varDir().resolve(KAFKA), log(KAFKA)),
					started), this.executor);
		CompletableFuture<Void> spark = CompletableFuture.completedFuture(null);
		if (this.config.spark() != null) {
			SparkCluster cluster = sparkCluster();
			spark = CompletableFuture.runAsync(() -> {
				track(SparkCluster.MASTER, this.config.spark().masterUrl(),
						() -> cluster.startMaster(log(SparkCluster.MASTER)), started);
				track(SparkCluster.WORKER, this.config.spark().workerWebUrl(),
						() -> cluster.startWorker(log(SparkCluster.WORKER)), started);
			}, this.executor);
		}
		CompletableFuture.allOf(postgres, kafka, spark).join();
	}

	private SparkCluster sparkCluster() {
		return new SparkCluster(this.config.spark(), this.config.root(), this.config.varDir().resolve("spark"),
				jarJvmOptions(this.config.service("etl-service").jar(this.config.root())));
	}

	private void startServices() {
		long started = System.nanoTime();
		java.util.Map<String, CompletableFuture<Void>> ready = new java.util.LinkedHashMap<>();
		for (ServiceSpec service : this.config.services()) {
			CompletableFuture<?>[] before = service.after()
				.stream()
				.map((name) -> Objects.requireNonNull(ready.get(name),
						name + " must be listed before " + service.name()))
				.toArray(CompletableFuture[]::new);
			ready.put(service.name(),
					CompletableFuture.allOf(before).thenRunAsync(() -> startService(service, started), this.executor));
		}
		CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).join();
	}

	private void startService(ServiceSpec service, long started) {
		RunningProcess process = JavaProcess.jar(service.name(), service.jar(this.config.root()))
			.jvmOptions(jvmOptions(service))
			.env(this.config.serviceEnvironment())
			.workingDirectory(this.config.root())
			.logFile(log(service.name()))
			.start();
		PidFile.of(service.name(), ProcessHandle.of(process.pid()).orElseThrow()).write(this.config.runDir());
		this.out.printf("  … %-20s starting (pid %d, log %s)%n", service.name(), process.pid(),
				relative(process.logFile()));
		process.awaitHttpOk(service.readinessUrl(), SERVICE_READY_TIMEOUT);
		this.out.printf("  ✓ %-20s ready on %s (%.1f s)%n", service.name(), service.url(), seconds(started));
	}

	private void track(String name, String where, java.util.function.Supplier<RunningProcess> start, long started) {
		this.out.printf("  … %-20s starting on %s%n", name, where);
		RunningProcess process = start.get();
		PidFile.of(name, ProcessHandle.of(process.pid()).orElseThrow()).write(this.config.runDir());
		this.out.printf("  ✓ %-20s ready (%.1f s, log %s)%n", name, seconds(started), relative(process.logFile()));
	}

	/**
	 * Stops the services, then Kafka, then PostgreSQL: exactly the processes named in
	 * {@code var/run}, each politely first.
	 */
	public void stop() {
		List<String> order = new ArrayList<>();
		List<ServiceSpec> services = this.config.services();
		for (int i = services.size() - 1; i >= 0; i--) {
			order.add(services.get(i).name());
		}
		order.add(SparkCluster.WORKER);
		order.add(SparkCluster.MASTER);
		order.add(KAFKA);
		order.add(POSTGRES);
		order.forEach(this::stopProcess);
		stopOrphanedPostmaster();
	}

	/**
	 * Stops one process of this stack (named in {@code var/run}), politely first; the
	 * others keep running.
	 * @param name a service, {@value #KAFKA} or {@value #POSTGRES}
	 */
	public void stopProcess(String name) {
		Optional<PidFile> pidFile = PidFile.read(this.config.runDir(), name);
		if (pidFile.isEmpty()) {
			return;
		}
		Optional<ProcessHandle> live = pidFile.get().live();
		if (live.isPresent()) {
			this.out.printf("  … stopping %-20s (pid %d)%n", name, pidFile.get().pid());
			RunningProcess.stop(live.get(), STOP_GRACE);
		}
		PidFile.delete(this.config.runDir(), name);
	}

	/** A postmaster survives its launcher only if that was killed hard; end it too. */
	private void stopOrphanedPostmaster() {
		Path pidFile = this.config.varDir().resolve(POSTGRES).resolve("pgdata").resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
			ProcessHandle.of(pid)
				.filter(ProcessHandle::isAlive)
				.filter((
						handle) -> handle.info().command().map((command) -> command.contains("postgres")).orElse(false))
				.ifPresent((handle) -> {
					this.out.printf("  … stopping %-20s (pid %d)%n", "postmaster", pid);
					RunningProcess.stop(handle, STOP_GRACE);
				});
		}
		catch (IOException | RuntimeException ex) {
			// no readable pid file: nothing of ours is running
		}
	}

	/**
	 * The processes of this stack that are alive.
	 * @return their names
	 */
	public List<String> runningProcesses() {
		List<String> names = new ArrayList<>(List.of(POSTGRES, KAFKA, SparkCluster.MASTER, SparkCluster.WORKER));
		this.config.services().forEach((service) -> names.add(service.name()));
		return names.stream()
			.filter((name) -> PidFile.read(this.config.runDir(), name).flatMap(PidFile::live).isPresent())
			.toList();
	}

	private void checkBuilt() {
		List<String> missing = this.config.services()
			.stream()
			.map((service) -> service.jar(this.config.root()))
			.filter((jar) -> !Files.exists(jar))
			.map(this::relative)
			.toList();
		if (!missing.isEmpty()) {
			throw new LaunchException(
					"not built: " + String.join(", ", missing) + " — run ./mvnw -B package -DskipTests");
		}
		if (this.config.spark() != null && !sparkCluster().built()) {
			throw new LaunchException("not built: local-spark/target/spark-home — run ./mvnw -B package -DskipTests");
		}
	}

	private void checkPortsFree() {
		Ports.requireFree(this.config.postgresPort(), "PostgreSQL, LODESTAR_PG_PORT");
		Ports.requireFree(this.config.kafkaPort(), "Kafka, LODESTAR_KAFKA_PORT");
		Ports.requireFree(this.config.kafkaControllerPort(), "Kafka controller, LODESTAR_KAFKA_CONTROLLER_PORT");
		for (ServiceSpec service : this.config.services()) {
			Ports.requireFree(service.port(), service.name() + ", " + service.portVariable());
		}
		if (this.config.spark() != null) {
			Ports.requireFree(this.config.spark().masterPort(), "Spark master, LODESTAR_SPARK_MASTER_PORT");
			Ports.requireFree(this.config.spark().masterWebPort(), "Spark master UI, LODESTAR_SPARK_MASTER_WEBUI_PORT");
			Ports.requireFree(this.config.spark().workerWebPort(), "Spark worker UI, LODESTAR_SPARK_WORKER_WEBUI_PORT");
		}
	}

	private List<String> jvmOptions(ServiceSpec service) {
		List<String> options = new ArrayList<>(
				List.of("-Xmx" + service.heap(), "-Djava.io.tmpdir=" + tmpDir(service.name())));
		options.addAll(jarJvmOptions(service.jar(this.config.root())));
		return options;
	}

	/**
	 * The JVM options an exec jar asks for (one a line in
	 * {@code META-INF/jvm-options.txt}).
	 * @param path the jar
	 * @return the options, none if it asks for none
	 */
	static List<String> jarJvmOptions(Path path) {
		List<String> options = new ArrayList<>();
		try (ZipFile jar = new ZipFile(path.toFile())) {
			ZipEntry entry = JVM_OPTIONS_ENTRIES.stream()
				.map(jar::getEntry)
				.filter(Objects::nonNull)
				.findFirst()
				.orElse(null);
			if (entry != null) {
				try (InputStream in = jar.getInputStream(entry)) {
					new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
						.map(String::trim)
						.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
						.forEach(options::add);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return options;
	}

	private Path tmpDir(String name) {
		Path tmp = this.config.dataDir().resolve("tmp").resolve(name).toAbsolutePath();
		try {
			Files.createDirectories(tmp);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return tmp;
	}

	private Path log(String name) {
		return this.config.logDir().resolve(name + ".log");
	}

	private String relative(Path path) {
		Path absolute = path.toAbsolutePath();
		Path root = this.config.root().toAbsolutePath();
		return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
	}

	private static double seconds(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1e9;
	}

	private static RuntimeException unwrap(RuntimeException ex) {
		Throwable cause = ex;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return (cause instanceof RuntimeException runtime) ? runtime : ex;
	}

}
