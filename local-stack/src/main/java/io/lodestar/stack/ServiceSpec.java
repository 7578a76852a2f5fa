package io.lodestar.stack;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One service of the platform as the local stack runs it.
 *
 * @param name the module and process name, e.g. {@code ingestion-service}
 * @param port its HTTP port on 127.0.0.1
 * @param heap its maximum heap, e.g. {@code 512m}
 * @param after the services that must be ready before this one starts (e.g. the owner of
 * the tables it writes)
 */
public record ServiceSpec(String name, int port, String heap, java.util.List<String> after) {

	static ServiceSpec of(String name, int port, String heap, String... after) {
		return new ServiceSpec(name, port, heap, java.util.List.of(after));
	}

	/**
	 * The service's short name in environment variables: {@code ingestion-service} →
	 * {@code INGESTION}, {@code api-gateway} → {@code GATEWAY}.
	 * @return the short upper-case name
	 */
	String shortName() {
		String base = this.name.replace("-service", "").replace("api-", "");
		return base.toUpperCase(Locale.ROOT);
	}

	String portVariable() {
		return "LODESTAR_" + shortName() + "_PORT";
	}

	String urlVariable() {
		return "LODESTAR_" + shortName() + "_URL";
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	String readinessUrl() {
		return url() + "/actuator/health/readiness";
	}

	/**
	 * The runnable jar the build makes.
	 * @param root the project root
	 * @return {@code <module>/target/<module>-<version>-exec.jar}
	 */
	Path jar(Path root) {
		return root.resolve(this.name).resolve("target").resolve(this.name + "-" + Version.PROJECT + "-exec.jar");
	}

}
