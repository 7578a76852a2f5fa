package io.lodestar.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code var/run/<name>.pid}: the pid and start time of a process the stack started, so
 * that {@code down} ends exactly that process and never an unrelated one that reused the
 * pid.
 *
 * @param name the process name
 * @param pid its pid
 * @param startedAt its start time as the OS reports it (may be null where unknown)
 */
record PidFile(String name, long pid, Instant startedAt) {

	static PidFile of(String name, ProcessHandle handle) {
		return new PidFile(name, handle.pid(), handle.info().startInstant().orElse(null));
	}

	void write(Path runDir) {
		try {
			Files.createDirectories(runDir);
			Files.writeString(runDir.resolve(this.name + ".pid"),
					this.pid + " " + ((this.startedAt != null) ? this.startedAt.toEpochMilli() : "-") + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Optional<PidFile> read(Path runDir, String name) {
		Path file = runDir.resolve(name + ".pid");
		if (!Files.exists(file)) {
			return Optional.empty();
		}
		try {
			String[] parts = Files.readString(file).trim().split(" ");
			Instant started = "-".equals(parts[1]) ? null : Instant.ofEpochMilli(Long.parseLong(parts[1]));
			return Optional.of(new PidFile(name, Long.parseLong(parts[0]), started));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	static void delete(Path runDir, String name) {
		try {
			Files.deleteIfExists(runDir.resolve(name + ".pid"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The live process this file names, if it is still the one that was started.
	 * @return the handle, or empty when it has exited or its pid was reused
	 */
	Optional<ProcessHandle> live() {
		return ProcessHandle.of(this.pid).filter(ProcessHandle::isAlive).filter((handle) -> {
			Optional<Instant> started = handle.info().startInstant();
			return this.startedAt == null || started.isEmpty() || started.get().equals(this.startedAt);
		});
	}

}
