package io.lodestar.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lodestar.infra.launch.InfraLauncher;
import io.lodestar.infra.launch.LaunchException;
import io.lodestar.infra.launch.Ports;
import io.lodestar.infra.launch.RunningProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The launcher starts a real broker and a real PostgreSQL, and stops them and all their
 * children.
 */
class InfraLauncherIT {

	@TempDir
	Path dir;

	private final InfraLauncher launcher = InfraLauncher.locate(Path.of("").toAbsolutePath().getParent());

	@Test
	void startsPostgresWithTheApplicationDatabaseAndStopsItsServerProcesses() throws Exception {
		int port = Ports.free();
		RunningProcess postgres = this.launcher.startPostgres(port, this.dir.resolve("pg"), this.dir.resolve("pg.log"));
		// pg_ctl daemonises the postmaster: it is no child of ours, so follow its pid
		// file
		long postmasterPid = Long
			.parseLong(Files.readAllLines(this.dir.resolve("pg/pgdata/postmaster.pid")).get(0).trim());
		assertThat(ProcessHandle.of(postmasterPid))
			.hasValueSatisfying((handle) -> assertThat(handle.isAlive()).isTrue());
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/lodestar",
				"lodestar", "lodestar");
				ResultSet row = connection.createStatement().executeQuery("select current_user")) {
			assertThat(row.next()).isTrue();
			assertThat(row.getString(1)).isEqualTo("lodestar");
		}
		finally {
			postgres.stop(Duration.ofSeconds(20));
		}
		assertThat(ProcessHandle.of(postmasterPid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(Ports.inUse(port)).isFalse();
	}

	@Test
	void startsAKraftBrokerThatTakesTopicsAndStopsIt() throws Exception {
		int port = Ports.free();
		RunningProcess kafka = this.launcher.startKafka(port, Ports.free(), this.dir.resolve("kafka"),
				this.dir.resolve("kafka.log"));
		Properties props = new Properties();
		props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
		try (Admin admin = Admin.create(props)) {
			admin.createTopics(List.of(new NewTopic("probe", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("probe");
		}
		finally {
			kafka.stop(Duration.ofSeconds(20));
		}
		assertThat(kafka.isAlive()).isFalse();
		assertThat(Files.exists(this.dir.resolve("kafka/ready"))).isFalse();
	}

	@Test
	void refusesATakenPortWithAClearMessage() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			assertThatThrownBy(() -> this.launcher.startPostgres(taken.getLocalPort(), this.dir.resolve("pg2"),
					this.dir.resolve("pg2.log")))
				.isInstanceOf(LaunchException.class)
				.hasMessageContaining("already in use");
		}
	}

}
