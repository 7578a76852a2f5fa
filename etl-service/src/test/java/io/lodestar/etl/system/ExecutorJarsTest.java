package io.lodestar.etl.system;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorJarsTest {

	private static final List<String> PROVIDED = List.of("spark-core_2.13-4.", "scala-library-2.13.",
			"jackson-databind-2.");

	@TempDir
	Path dir;

	@Test
	void theExecutableJarIsFoundInBootsNestedUrl() throws Exception {
		assertThat(ExecutorJars
			.executableArchive("jar:nested:/app/my%20app.jar/!BOOT-INF/classes/!/io/lodestar/etl/system/X.class"))
			.isEqualTo(Path.of("/app/my app.jar"));
		assertThat(ExecutorJars.executableArchive(Path.of("/work/target/classes/").toUri().toString())).isNull();
	}

	@Test
	void onlyTheJarsOfSparksOwnDependenciesAreLeftOut() {
		ExecutorJars jars = new ExecutorJars(PROVIDED, this.dir);
		assertThat(jars.provided("spark-core_2.13-4.0.0.jar")).isTrue();
		assertThat(jars.provided("jackson-databind-2.18.2.jar")).isTrue();
		// Jackson 3 has the same artifact name; the Kafka source is not part of Spark
		assertThat(jars.provided("jackson-databind-3.1.7.jar")).isFalse();
		assertThat(jars.provided("spark-sql-kafka-0-10_2.13-4.0.0.jar")).isFalse();
		assertThat(jars.provided("iceberg-spark-runtime-4.0_2.13-1.10.0.jar")).isFalse();
	}

	@Test
	void anExecutableJarShipsItsClassesAsAJarAndTheNestedJarsTheClusterLacks() throws IOException {
		Path archive = this.dir.resolve("etl-service-exec.jar");
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
			entry(zip, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
			entry(zip, "org/springframework/boot/loader/launch/JarLauncher.class", "launcher");
			entry(zip, "BOOT-INF/classes/io/lodestar/etl/Writer.class", "writer");
			entry(zip, "BOOT-INF/classes/application.yml", "lodestar: {}");
			entry(zip, "BOOT-INF/lib/postgresql-42.7.8.jar", "driver");
			entry(zip, "BOOT-INF/lib/spark-core_2.13-4.0.0.jar", "spark");
			entry(zip, "BOOT-INF/lib/jackson-databind-3.1.7.jar", "jackson 3");
		}
		Path target = this.dir.resolve("executor-jars");
		Files.createDirectories(target);
		Files.writeString(target.resolve("left-from-an-earlier-start.jar"), "old");

		List<Path> shipped = new ExecutorJars(PROVIDED, target).write(archive);

		assertThat(shipped).extracting((path) -> path.getFileName().toString())
			.containsExactly("etl-service-exec-classes.jar", "postgresql-42.7.8.jar", "jackson-databind-3.1.7.jar");
		assertThat(target.resolve("left-from-an-earlier-start.jar")).doesNotExist();
		assertThat(Files.readString(target.resolve("postgresql-42.7.8.jar"))).isEqualTo("driver");
		try (JarFile classes = new JarFile(shipped.get(0).toFile())) {
			assertThat(classes.stream().map(ZipEntry::getName))
				.containsExactlyInAnyOrder("io/lodestar/etl/Writer.class", "application.yml");
		}
	}

	private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		OutputStream out = zip;
		out.write(content.getBytes(StandardCharsets.UTF_8));
		zip.closeEntry();
	}

}
