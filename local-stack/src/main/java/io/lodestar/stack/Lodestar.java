package io.lodestar.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.lodestar.infra.launch.LaunchException;

/**
 * {@code ./lodestar up | down | status | load-sample}: the one command that runs the
 * whole platform on one machine.
 */
public final class Lodestar {

	private Lodestar() {
	}

	public static void main(String[] args) {
		PrintStream out = System.out;
		Path root = Path.of(System.getProperty("lodestar.root", "")).toAbsolutePath();
		StackConfig config = StackConfig.fromEnvironment(root, System.getenv());
		Stack stack = new Stack(config, out);
		String command = (args.length > 0) ? args[0] : "help";
		List<String> options = List.of(args).subList(Math.min(1, args.length), args.length);
		try {
			switch (command) {
				case "up" -> up(stack, config, options.contains("--no-sample"), out);
				case "down" -> down(stack, out);
				case "status" -> status(stack, config, out);
				case "load-sample" -> loadSample(config, out);
				default -> {
					out.println("usage: ./lodestar up [--no-sample] | down | status | load-sample");
					System.exit("help".equals(command) ? 0 : 2);
				}
			}
		}
		catch (LaunchException | IllegalStateException | IllegalArgumentException | UncheckedIOException ex) {
			System.err.println("✗ " + ex.getMessage());
			System.exit(1);
		}
	}

	private static void up(Stack stack, StackConfig config, boolean noSample, PrintStream out) {
		out.println("Starting Lodestar on 127.0.0.1 (state in " + config.varDir() + ")");
		stack.start();
		Path marker = config.varDir().resolve("sample-loaded");
		if (!noSample && !Files.exists(marker)) {
			loadSample(config, out);
			try {
				Files.writeString(marker, "online_retail\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		out.println();
		out.println("Lodestar is up.");
		out.printf("  Dashboard and API:   %s%n", config.gatewayUrl());
		out.printf("  Sign in:             user %s, password %s (workspace %s; kept in %s)%n",
				LocalSecrets.ADMIN_USERNAME, new LocalSecrets(config.varDir()).adminPassword(),
				StackConfig.DEV_WORKSPACE, config.varDir().resolve("secrets"));
		for (ServiceSpec service : config.services()) {
			out.printf("  %-20s %s%n", service.name() + ":", service.url());
		}
		out.printf("  PostgreSQL:          %s (user lodestar / lodestar)%n", config.jdbcUrl());
		out.printf("  Kafka:               %s%n", config.kafkaBootstrap());
		if (config.spark() != null) {
			out.printf("  Spark cluster:       %s (status %s)%n", config.spark().masterUrl(),
					config.spark().masterWebUrl());
		}
		out.printf("  Logs:                %s%n", config.logDir());
		out.printf("  Write key:           %s (workspace %s)%n", StackConfig.DEV_WRITE_KEY, StackConfig.DEV_WORKSPACE);
		out.println();
		out.println("Try it:");
		out.printf(
				"  curl -u %s: -H 'Content-Type: application/json' -d '{\"userId\":\"u-42\",\"event\":\"Signed Up\"}' %s/v1/track%n",
				StackConfig.DEV_WRITE_KEY, config.gatewayUrl());
		out.printf(
				"  curl -H 'Content-Type: application/json' -d '{\"username\":\"%s\",\"password\":\"%s\"}' "
						+ "%s/v1/auth/login      # → accessToken%n",
				LocalSecrets.ADMIN_USERNAME, new LocalSecrets(config.varDir()).adminPassword(), config.gatewayUrl());
		out.printf("  curl -H \"Authorization: Bearer $TOKEN\" '%s/v1/profiles?userId=u-42'%n", config.gatewayUrl());
		out.println("Stop it with ./lodestar down");
	}

	private static void loadSample(StackConfig config, PrintStream out) {
		Path dataset = config.root().resolve(SampleDataLoader.DATASET);
		out.println("  … loading sample data " + config.root().relativize(dataset) + " through the collector");
		new SampleDataLoader(new CollectorClient(config.gatewayUrl(), StackConfig.DEV_WRITE_KEY), out).load(dataset);
	}

	private static void down(Stack stack, PrintStream out) {
		stack.stop();
		List<String> left = stack.runningProcesses();
		if (!left.isEmpty()) {
			throw new IllegalStateException("still running: " + String.join(", ", left));
		}
		out.println("Lodestar is down; no process of it is left.");
	}

	private static void status(Stack stack, StackConfig config, PrintStream out) {
		List<String> running = stack.runningProcesses();
		for (String name : List.of(Stack.POSTGRES, Stack.KAFKA)) {
			out.printf("  %-20s %s%n", name, running.contains(name) ? "running" : "stopped");
		}
		for (ServiceSpec service : config.services()) {
			out.printf("  %-20s %s%n", service.name(),
					running.contains(service.name()) ? "running on " + service.url() : "stopped");
		}
	}

}
