package io.lodestar.infra.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM this launcher started: wait for it to be ready, or stop it and its children.
 */
public final class RunningProcess {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final Path logFile;

	RunningProcess(String name, Process process, Path logFile) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
	}

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public Path logFile() {
		return this.logFile;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits until a file exists (the infrastructure mains write one when they serve).
	 * @param file the ready file
	 * @param timeout how long to wait
	 * @return this process
	 */
	public RunningProcess awaitFile(Path file, Duration timeout) {
		return await(() -> Files.exists(file), timeout, "to write " + file.getFileName());
	}

	/**
	 * Waits until a file exists; if it does not come, stops the process before throwing,
	 * so that nothing is left behind.
	 * @param file the ready file
	 * @param timeout how long to wait
	 * @return this process
	 */
	public RunningProcess awaitFileOrStop(Path file, Duration timeout) {
		try {
			return awaitFile(file, timeout);
		}
		catch (LaunchException ex) {
			stop(Duration.ofSeconds(20));
			throw ex;
		}
	}

	/**
	 * Waits until an HTTP GET answers 200 (a service's readiness probe).
	 * @param url the URL
	 * @param timeout how long to wait
	 * @return this process
	 */
	public RunningProcess awaitHttpOk(String url, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
		return await(() -> {
			try {
				return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
			}
			catch (IOException ex) {
				return false;
			}
		}, timeout, "to answer 200 on " + url);
	}

	/**
	 * Waits until a condition holds; if it does not, stops the process before throwing,
	 * so that nothing is left behind.
	 * @param check the condition (e.g. the process's own status page says it is ready)
	 * @param timeout how long to wait
	 * @param what what is waited for, for the message ("to register with …")
	 * @return this process
	 */
	public RunningProcess awaitOrStop(Check check, Duration timeout, String what) {
		try {
			return await(check, timeout, what);
		}
		catch (LaunchException ex) {
			stop(Duration.ofSeconds(20));
			throw ex;
		}
	}

	private RunningProcess await(Check check, Duration timeout, String what) {
		Instant deadline = Instant.now().plus(timeout);
		try {
			while (Instant.now().isBefore(deadline)) {
				if (!this.process.isAlive()) {
					throw new LaunchException(this.name + " exited with code " + this.process.exitValue()
							+ " before it was ready; read " + this.logFile.toAbsolutePath() + tail());
				}
				if (check.holds()) {
					return this;
				}
				Thread.sleep(200);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LaunchException("interrupted while waiting for " + this.name, ex);
		}
		throw new LaunchException(this.name + " did not manage " + what + " within " + timeout.toSeconds() + " s; read "
				+ this.logFile.toAbsolutePath() + tail());
	}

	/**
	 * Stops the process and its descendants: a polite termination first (so servers shut
	 * down cleanly), then a forced one.
	 * @param grace how long to wait before forcing
	 */
	public void stop(Duration grace) {
		stop(this.process.toHandle(), grace);
	}

	/**
	 * Stops any process by its handle, descendants included.
	 * @param handle the process
	 * @param grace how long to wait before forcing
	 */
	public static void stop(ProcessHandle handle, Duration grace) {
		List<ProcessHandle> descendants = handle.descendants().toList();
		handle.destroy();
		try {
			handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			handle.destroyForcibly();
		}
		for (ProcessHandle child : descendants) {
			if (child.isAlive()) {
				child.destroy();
				try {
					child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (Exception ex) {
					child.destroyForcibly();
				}
			}
		}
	}

	private String tail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
			return last.isEmpty() ? "" : "\n--- last lines of the log ---\n" + String.join("\n", last);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** A condition a process is waited for. */
	@FunctionalInterface
	public interface Check {

		boolean holds() throws InterruptedException;

	}

}
