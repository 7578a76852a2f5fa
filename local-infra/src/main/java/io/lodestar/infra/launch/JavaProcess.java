package io.lodestar.infra.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run in a new JVM: a main class on a classpath or an executable jar, with JVM
 * options, arguments and environment, its output appended to a log file.
 */
public final class JavaProcess {

	private final String name;

	private final List<String> jvmOptions = new ArrayList<>();

	private final List<String> command = new ArrayList<>();

	private final Map<String, String> environment = new LinkedHashMap<>();

	private Path workingDirectory = Path.of("").toAbsolutePath();

	private Path logFile;

	private JavaProcess(String name) {
		this.name = name;
	}

	/**
	 * A process running a main class.
	 * @param name a short name for messages, e.g. {@code kafka}
	 * @param classpath the classpath entries
	 * @param mainClass the main class
	 * @return the spec
	 */
	public static JavaProcess mainClass(String name, List<Path> classpath, String mainClass) {
		JavaProcess process = new JavaProcess(name);
		process.command.add("-cp");
		process.command.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
		process.command.add(mainClass);
		return process;
	}

	/**
	 * A process running an executable jar.
	 * @param name a short name for messages, e.g. {@code ingestion-service}
	 * @param jar the jar
	 * @return the spec
	 */
	public static JavaProcess jar(String name, Path jar) {
		JavaProcess process = new JavaProcess(name);
		process.command.add("-jar");
		process.command.add(jar.toString());
		return process;
	}

	public JavaProcess jvmOptions(List<String> options) {
		this.jvmOptions.addAll(options);
		return this;
	}

	public JavaProcess args(String... args) {
		this.command.addAll(List.of(args));
		return this;
	}

	public JavaProcess env(Map<String, String> variables) {
		this.environment.putAll(variables);
		return this;
	}

	public JavaProcess workingDirectory(Path directory) {
		this.workingDirectory = directory;
		return this;
	}

	public JavaProcess logFile(Path file) {
		this.logFile = file;
		return this;
	}

	public String name() {
		return this.name;
	}

	/**
	 * Starts the JVM.
	 * @return the running process
	 */
	public RunningProcess start() {
		if (this.logFile == null) {
			throw new IllegalStateException("no log file for " + this.name);
		}
		List<String> full = new ArrayList<>();
		full.add(javaExecutable());
		full.addAll(this.jvmOptions);
		full.addAll(this.command);
		ProcessBuilder builder = new ProcessBuilder(full).directory(this.workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
		builder.environment().putAll(this.environment);
		try {
			Files.createDirectories(this.logFile.toAbsolutePath().getParent());
			return new RunningProcess(this.name, builder.start(), this.logFile);
		}
		catch (IOException ex) {
			throw new LaunchException("could not start " + this.name + ": " + ex.getMessage(), ex);
		}
	}

	private static java.io.File nullDevice() {
		return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
