package io.lodestar.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a main writes once its server really serves, and deletes on start and on exit;
 * the launcher waits for it.
 */
final class ReadyMarker {

	private final Path file;

	ReadyMarker(Path file) {
		this.file = file;
	}

	void clear() {
		try {
			Files.deleteIfExists(this.file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void markReady(String details) {
		try {
			Files.createDirectories(this.file.getParent());
			Files.writeString(this.file, details);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void clearOnExit() {
		Runtime.getRuntime().addShutdownHook(new Thread(this::clear, "ready-marker-cleanup"));
	}

}
