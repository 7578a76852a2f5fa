package io.lodestar.ingestion.connector;

/**
 * The objects a file-drop connector imported before.
 */
@FunctionalInterface
public interface ProcessedFiles {

	/** For kinds that import no files. */
	ProcessedFiles NONE = (key, etag) -> false;

	/**
	 * @param key the object key or relative path
	 * @param etag its ETag (S3) or size and modification time (a local file)
	 * @return whether that version of the object was imported
	 */
	boolean contains(String key, String etag);

}
