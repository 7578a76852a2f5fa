package io.lodestar.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version the local stack runs, as the build filtered it into
 * {@code lodestar-stack.properties}.
 */
final class Version {

	static final String PROJECT = load();

	private Version() {
	}

	private static String load() {
		try (InputStream in = Version.class.getResourceAsStream("/lodestar-stack.properties")) {
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
