package io.lodestar.etl.system;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars a Spark cluster's executors load this service's code from
 * ({@code spark.jars}): the service's own classes and every jar of its classpath that a
 * Spark installation does not already have. The classes run as the service runs them —
 * out of its executable jar (its nested {@code BOOT-INF/lib} jars are copied out, its
 * {@code BOOT-INF/classes} packed into a jar) or off a plain classpath (folders are
 * packed into jars) — into a folder of the data directory that is refilled at every
 * start. Executors load user jars after their own (Spark's default), so a jar shipped
 * that the cluster also has is only wasted transfer; a jar left out that it lacks breaks
 * a task, which is why only the prefixes of Spark's own dependencies are left out.
 */
final class ExecutorJars {

	private static final Logger logger = LoggerFactory.getLogger(ExecutorJars.class);

	private static final String NESTED = "jar:nested:";

	private static final String BOOT_LIB = "BOOT-INF/lib/";

	private static final String BOOT_CLASSES = "BOOT-INF/classes/";

	private final List<String> providedPrefixes;

	private final Path target;

	ExecutorJars(List<String> providedPrefixes, Path target) {
		this.providedPrefixes = List.copyOf(providedPrefixes);
		this.target = target;
	}

	/**
	 * Writes the jars of the service whose code {@code anchor} belongs to.
	 * @param anchor a class of the service
	 * @return the jars' absolute paths, the service's classes first
	 */
	List<Path> write(Class<?> anchor) {
		return write(executableArchive(anchor.getProtectionDomain().getCodeSource().getLocation().toString()));
	}

	/**
	 * Writes the jars of an executable jar, or of this JVM's classpath.
	 * @param archive the service's executable jar, or null when it runs off a classpath
	 * @return the jars' absolute paths, the service's classes first
	 */
	List<Path> write(Path archive) {
		try {
			recreate(this.target);
			List<Path> jars = (archive != null) ? fromExecutableJar(archive) : fromClasspath();
			long bytes = 0;
			for (Path jar : jars) {
				bytes += Files.size(jar);
			}
			logger.info("Executors load the service's code from {} jars ({} MB) in {}", jars.size(),
					bytes / (1024 * 1024), this.target);
			return jars;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not write the executors' jars to " + this.target, ex);
		}
	}

	/**
	 * Whether a Spark installation has this jar on its executors' classpath already.
	 * @param fileName the jar's file name
	 * @return whether it is left out
	 */
	boolean provided(String fileName) {
		return this.providedPrefixes.stream().anyMatch(fileName::startsWith);
	}

	/**
	 * The executable jar a class was loaded from, if it was: Spring Boot's nested URL
	 * {@code jar:nested:/path/app.jar/!BOOT-INF/classes/!/}.
	 * @param url the class's code source location
	 * @return the executable jar, or null when the class came off a plain classpath
	 */
	static Path executableArchive(String url) {
		if (!url.startsWith(NESTED)) {
			return null;
		}
		String rest = url.substring(NESTED.length());
		int separator = rest.indexOf("/!");
		String path = (separator >= 0) ? rest.substring(0, separator) : rest;
		return Path.of(URLDecoder.decode(path, StandardCharsets.UTF_8));
	}

	private List<Path> fromExecutableJar(Path archive) throws IOException {
		List<Path> jars = new ArrayList<>();
		Path classes = this.target.resolve(stem(archive) + "-classes.jar");
		jars.add(classes);
		try (ZipFile zip = new ZipFile(archive.toFile());
				JarOutputStream out = new JarOutputStream(Files.newOutputStream(classes))) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (entry.isDirectory()) {
					continue;
				}
				if (name.startsWith(BOOT_CLASSES)) {
					out.putNextEntry(new ZipEntry(name.substring(BOOT_CLASSES.length())));
					try (InputStream in = zip.getInputStream(entry)) {
						in.transferTo(out);
					}
					out.closeEntry();
				}
				else if (name.startsWith(BOOT_LIB) && name.endsWith(".jar")) {
					String fileName = name.substring(BOOT_LIB.length());
					if (fileName.contains("/") || provided(fileName)) {
						continue;
					}
					Path jar = this.target.resolve(fileName);
					try (InputStream in = zip.getInputStream(entry)) {
						Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
					}
					jars.add(jar);
				}
			}
		}
		return jars;
	}

	private List<Path> fromClasspath() throws IOException {
		Set<Path> jars = new LinkedHashSet<>();
		int folders = 0;
		for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
			if (entry.isBlank()) {
				continue;
			}
			Path path = Path.of(entry).toAbsolutePath().normalize();
			if (Files.isDirectory(path)) {
				Path jar = this.target.resolve("classpath-" + (folders++) + "-" + path.getFileName() + ".jar");
				packFolder(path, jar);
				jars.add(jar);
			}
			else if (Files.isRegularFile(path) && path.toString().endsWith(".jar")
					&& !provided(path.getFileName().toString())) {
				jars.add(path);
			}
		}
		return new ArrayList<>(jars);
	}

	private static void packFolder(Path folder, Path jar) throws IOException {
		try (OutputStream file = Files.newOutputStream(jar);
				JarOutputStream out = new JarOutputStream(file);
				Stream<Path> files = Files.walk(folder)) {
			for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
				out.putNextEntry(new ZipEntry(folder.relativize(path).toString().replace(File.separatorChar, '/')));
				Files.copy(path, out);
				out.closeEntry();
			}
		}
	}

	private static void recreate(Path folder) throws IOException {
		if (Files.exists(folder)) {
			try (Stream<Path> paths = Files.walk(folder)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
		Files.createDirectories(folder);
	}

	private static String stem(Path archive) {
		String name = archive.getFileName().toString();
		return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
	}

}
