package io.lodestar.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import tools.jackson.databind.json.JsonMapper;

import io.lodestar.infra.launch.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack an end-to-end test runs on, started by the same launcher as
 * {@code ./lodestar up}: every port free on loopback, its state in a folder under
 * {@code target}; stopping it checks that none of its processes is left.
 *
 * @param config where it runs
 * @param stack the launcher
 * @param pids the processes it started
 * @param token the local stack's administrator's access token
 */
record StartedStack(StackConfig config, Stack stack, List<Long> pids, String token) {

	private static final List<String> PORTS = List.of("LODESTAR_PG_PORT", "LODESTAR_KAFKA_PORT",
			"LODESTAR_KAFKA_CONTROLLER_PORT", "LODESTAR_GATEWAY_PORT", "LODESTAR_INGESTION_PORT",
			"LODESTAR_PROFILE_PORT", "LODESTAR_SEGMENT_PORT", "LODESTAR_RECOMMENDER_PORT", "LODESTAR_ETL_PORT",
			"LODESTAR_SPARK_MASTER_PORT", "LODESTAR_SPARK_MASTER_WEBUI_PORT", "LODESTAR_SPARK_WORKER_WEBUI_PORT");

	/**
	 * Starts the stack (its launcher's output printed) and signs the administrator in.
	 * @param varPrefix the state folder's name prefix
	 * @param env variables on top of the free ports
	 * @param shape which services of the configuration to run
	 * @return the running stack
	 */
	static StartedStack start(String varPrefix, Map<String, String> env, UnaryOperator<StackConfig> shape)
			throws IOException, InterruptedException {
		Path root = Path.of(System.getProperty("lodestar.project.root", "..")).toAbsolutePath().normalize();
		Map<String, String> variables = new HashMap<>(env);
		variables.put("LODESTAR_VAR_DIR",
				Files.createTempDirectory(Path.of("target").toAbsolutePath(), varPrefix).toString());
		for (String port : PORTS) {
			variables.put(port, String.valueOf(Ports.free()));
		}
		StackConfig config = shape.apply(StackConfig.fromEnvironment(root, variables));
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		Stack stack = new Stack(config, new PrintStream(output, true, StandardCharsets.UTF_8));
		try {
			stack.start();
		}
		finally {
			System.out.print(output.toString(StandardCharsets.UTF_8));
		}
		try {
			List<Long> pids = new ArrayList<>();
			for (String name : stack.runningProcesses()) {
				pids.add(PidFile.read(config.runDir(), name).orElseThrow().pid());
			}
			HttpResponse<String> login = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(config.gatewayUrl() + "/v1/auth/login"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + LocalSecrets.ADMIN_USERNAME
							+ "\",\"password\":\"" + new LocalSecrets(config.varDir()).adminPassword() + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(login.statusCode()).as("the administrator the stack configured signs in").isEqualTo(200);
			String token = JsonMapper.builder().build().readTree(login.body()).get("accessToken").asString();
			return new StartedStack(config, stack, List.copyOf(pids), token);
		}
		catch (IOException | InterruptedException | RuntimeException | AssertionError ex) {
			stack.stop();
			throw ex;
		}
	}

	/** Stops everything it started and checks that no process of it is left. */
	void stop() {
		this.stack.stop();
		assertThat(this.stack.runningProcesses()).isEmpty();
		assertThat(this.pids)
			.allSatisfy((pid) -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
	}

}
