package io.lodestar.ingestion.connector.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where dropped files are: a local folder or an S3-compatible bucket.
 */
interface DropLocation extends AutoCloseable {

	/** Releases the location's client, if it has one. */
	@Override
	default void close() {
	}

	/**
	 * @return the objects that may be imported, by key
	 * @throws IOException if the location cannot be listed
	 */
	List<DropObject> list() throws IOException;

	/**
	 * @param object an object {@link #list()} returned
	 * @return its bytes
	 * @throws IOException if it cannot be read
	 */
	InputStream open(DropObject object) throws IOException;

	/**
	 * A dropped object.
	 *
	 * @param key its key or path relative to the folder
	 * @param etag its S3 ETag, or size and modification time of a local file
	 * @param size its size in bytes
	 */
	record DropObject(String key, String etag, long size) {
	}

}
