package io.lodestar.infra.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts the real infrastructure, each in its own JVM on local-infra's runtime classpath
 * ({@code local-infra/target/lib}, written by {@code ./mvnw package}).
 */
public final class InfraLauncher {

	/** The system property that overrides where local-infra's jar and lib folder are. */
	public static final String HOME_PROPERTY = "lodestar.infra.home";

	private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

	private final List<Path> classpath;

	private InfraLauncher(List<Path> classpath) {
		this.classpath = classpath;
	}

	/**
	 * Finds local-infra's built classpath: the {@value #HOME_PROPERTY} property, else
	 * next to this class's own jar or classes folder, else below the project root.
	 * @param projectRoot the project root, may be null
	 * @return the launcher
	 */
	public static InfraLauncher locate(Path projectRoot) {
		List<Path> candidates = new ArrayList<>();
		String home = System.getProperty(HOME_PROPERTY);
		if (home != null) {
			candidates.add(Path.of(home));
		}
		ownLocation().ifPresent(candidates::add);
		if (projectRoot != null) {
			candidates.add(projectRoot.resolve("local-infra/target"));
		}
		for (Path target : candidates) {
			Path lib = target.resolve("lib");
			Path classes = target.resolve("classes");
			if (Files.isDirectory(lib) && Files.isDirectory(classes)) {
				List<Path> classpath = new ArrayList<>();
				classpath.add(classes.toAbsolutePath());
				try (Stream<Path> jars = Files.list(lib)) {
					jars.filter((jar) -> jar.toString().endsWith(".jar")).sorted().forEach(classpath::add);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				return new InfraLauncher(classpath);
			}
		}
		throw new LaunchException("local-infra is not built (looked in " + candidates
				+ "): run ./mvnw -B -pl local-infra -am package -DskipTests");
	}

	private static java.util.Optional<Path> ownLocation() {
		try {
			Path location = Path.of(InfraLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			// target/classes or target/local-infra-<version>.jar: both have target/ as
			// parent
			return java.util.Optional.ofNullable(location.getParent());
		}
		catch (URISyntaxException | RuntimeException ex) {
			return java.util.Optional.empty();
		}
	}

	/**
	 * Starts a KRaft broker on 127.0.0.1 and waits until it serves metadata.
	 * @param port the client port
	 * @param controllerPort the controller port
	 * @param dataDir where its log directory is kept
	 * @param logFile where its output goes
	 * @return the running broker
	 */
	public RunningProcess startKafka(int port, int controllerPort, Path dataDir, Path logFile) {
		Ports.requireFree(port, "Kafka");
		Ports.requireFree(controllerPort, "Kafka controller");
		Path ready = dataDir.resolve("ready");
		return JavaProcess.mainClass("kafka", this.classpath, "io.lodestar.infra.KafkaBrokerMain")
			.jvmOptions(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.io.tmpdir=" + tmp(dataDir)))
			.args("--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort), "--data-dir",
					dataDir.toAbsolutePath().toString(), "--ready-file", ready.toAbsolutePath().toString())
			.logFile(logFile)
			.start()
			.awaitFileOrStop(ready, READY_TIMEOUT);
	}

	/**
	 * Starts PostgreSQL on 127.0.0.1 with the role and database {@code lodestar} and
	 * waits until it accepts connections.
	 * @param port the port
	 * @param dataDir where its data is kept
	 * @param logFile where its output goes
	 * @return the running server
	 */
	public RunningProcess startPostgres(int port, Path dataDir, Path logFile) {
		Ports.requireFree(port, "PostgreSQL");
		Path ready = dataDir.resolve("ready");
		return JavaProcess.mainClass("postgres", this.classpath, "io.lodestar.infra.PostgresMain")
			.jvmOptions(List.of("-Xms32m", "-Xmx128m", "-Djava.io.tmpdir=" + tmp(dataDir)))
			.args("--port", String.valueOf(port), "--data-dir", dataDir.toAbsolutePath().toString(), "--ready-file",
					ready.toAbsolutePath().toString())
			.logFile(logFile)
			.start()
			.awaitFileOrStop(ready, READY_TIMEOUT);
	}

	private static Path tmp(Path dataDir) {
		Path tmp = dataDir.resolve("tmp").toAbsolutePath();
		try {
			Files.createDirectories(tmp);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return tmp;
	}

}
