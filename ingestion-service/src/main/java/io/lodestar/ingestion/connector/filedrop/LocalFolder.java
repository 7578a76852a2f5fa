package io.lodestar.ingestion.connector.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder under the service's file-drop root. Files whose name matches the glob are
 * listed by their path relative to the folder; a file changed less than {@code minAge}
 * ago is left for the next run (it may still be being written). The version of a file is
 * its size and modification time.
 */
final class LocalFolder implements DropLocation {

	private final Path folder;

	private final PathMatcher matcher;

	private final Duration minAge;

	private final Instant now;

	LocalFolder(Path folder, String glob, Duration minAge, Instant now) {
		this.folder = folder;
		this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
		this.minAge = minAge;
		this.now = now;
	}

	/**
	 * The folder a setting names, inside the workspace's own folder of the root
	 * ({@code <root>/<workspace>/<folder>}): a connector reads its own workspace's drops
	 * only, whatever folder it names.
	 * @param root the file-drop root
	 * @param workspaceId the connector's workspace
	 * @param relative the setting
	 * @return the folder
	 * @throws IllegalArgumentException if it leaves the workspace's folder
	 */
	static Path resolve(Path root, String workspaceId, String relative) {
		if (workspaceId.isBlank() || workspaceId.equals(".") || workspaceId.equals("..") || workspaceId.contains("/")
				|| workspaceId.contains("\\")) {
			throw new IllegalArgumentException("the workspace cannot have a file-drop folder");
		}
		Path base = root.toAbsolutePath().normalize().resolve(workspaceId);
		Path folder = base.resolve(relative).normalize();
		if (!folder.startsWith(base)) {
			throw new IllegalArgumentException("the folder must be inside the workspace's file-drop folder");
		}
		return folder;
	}

	@Override
	public List<DropObject> list() throws IOException {
		if (!Files.isDirectory(this.folder)) {
			throw new IOException("the folder " + this.folder.getFileName() + " does not exist");
		}
		List<DropObject> objects = new ArrayList<>();
		try (Stream<Path> files = Files.walk(this.folder)) {
			for (Path file : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
				String name = file.getFileName().toString();
				if (!Files.isRegularFile(file) || name.startsWith(".") || !this.matcher.matches(file.getFileName())) {
					continue;
				}
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				Instant modified = attributes.lastModifiedTime().toInstant();
				if (!this.minAge.isZero() && modified.isAfter(this.now.minus(this.minAge))) {
					continue;
				}
				String key = this.folder.relativize(file).toString().replace('\\', '/');
				objects.add(new DropObject(key, attributes.size() + "-" + modified.toEpochMilli(), attributes.size()));
			}
		}
		return objects;
	}

	@Override
	public InputStream open(DropObject object) throws IOException {
		return Files.newInputStream(this.folder.resolve(object.key()));
	}

}
