package io.lodestar.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Runs a single-node Kafka broker in KRaft mode (broker and controller in one process) on
 * 127.0.0.1. Formats the log directory on first start and keeps it across restarts.
 *
 * <p>
 * Options: {@code --port}, {@code --controller-port}, {@code --data-dir},
 * {@code --ready-file}, optional {@code --partitions} (default 6).
 */
public final class KafkaBrokerMain {

	private KafkaBrokerMain() {
	}

	public static void main(String[] argv) throws Exception {
		Args args = new Args(argv);
		int port = args.getInt("port");
		int controllerPort = args.getInt("controller-port");
		Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
		ReadyMarker ready = new ReadyMarker(Path.of(args.get("ready-file")));
		ready.clear();
		ready.clearOnExit();

		Path logDir = dataDir.resolve("logs");
		Files.createDirectories(logDir);
		Path config = dataDir.resolve("server.properties");
		writeConfig(config, port, controllerPort, logDir, args.get("partitions", "6"));
		if (!Files.exists(logDir.resolve("meta.properties"))) {
			format(config, clusterId(dataDir));
		}

		Thread readiness = new Thread(() -> awaitReady(port, ready), "broker-readiness");
		readiness.setDaemon(true);
		readiness.start();
		kafka.Kafka.main(new String[] { config.toString() });
	}

	private static void writeConfig(Path config, int port, int controllerPort, Path logDir, String partitions)
			throws IOException {
		Properties props = new Properties();
		props.putAll(Map.ofEntries(Map.entry("process.roles", "broker,controller"), Map.entry("node.id", "1"),
				Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
				Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
				Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
				Map.entry("controller.listener.names", "CONTROLLER"),
				Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
				Map.entry("inter.broker.listener.name", "PLAINTEXT"), Map.entry("log.dirs", logDir.toString()),
				Map.entry("num.partitions", partitions), Map.entry("offsets.topic.replication.factor", "1"),
				Map.entry("offsets.topic.num.partitions", "6"),
				Map.entry("transaction.state.log.replication.factor", "1"),
				Map.entry("transaction.state.log.min.isr", "1"),
				Map.entry("share.coordinator.state.topic.replication.factor", "1"),
				Map.entry("share.coordinator.state.topic.min.isr", "1"),
				Map.entry("group.initial.rebalance.delay.ms", "0"), Map.entry("auto.create.topics.enable", "true"),
				Map.entry("log.retention.hours", "168")));
		try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
			props.store(writer, "Lodestar local KRaft broker; written on every start");
		}
	}

	private static String clusterId(Path dataDir) throws IOException {
		Path file = dataDir.resolve("cluster.id");
		if (Files.exists(file)) {
			return Files.readString(file).trim();
		}
		String id = Uuid.randomUuid().toString();
		Files.writeString(file, id);
		return id;
	}

	private static void format(Path config, String clusterId) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exit = kafka.tools.StorageTool.execute(new String[] { "format", "--cluster-id", clusterId, "--config",
				config.toString(), "--ignore-formatted" }, new PrintStream(output, true, StandardCharsets.UTF_8));
		System.out.print(output.toString(StandardCharsets.UTF_8));
		if (exit != 0) {
			throw new IllegalStateException("formatting the KRaft log directory failed with exit code " + exit);
		}
	}

	private static void awaitReady(int port, ReadyMarker ready) {
		Properties props = new Properties();
		props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
		props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
		props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
		props.put(AdminClientConfig.CLIENT_ID_CONFIG, "lodestar-readiness-" + UUID.randomUUID());
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		try (Admin admin = Admin.create(props)) {
			while (Instant.now().isBefore(deadline)) {
				try {
					int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
					if (nodes > 0) {
						ready.markReady("127.0.0.1:" + port);
						System.out.println("LODESTAR kafka ready on 127.0.0.1:" + port);
						return;
					}
				}
				catch (Exception ex) {
					// not yet serving; retry until the deadline
				}
				Thread.sleep(250);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.err.println("LODESTAR kafka did not become ready within 3 minutes");
	}

}
