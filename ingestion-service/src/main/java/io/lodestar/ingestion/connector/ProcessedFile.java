package io.lodestar.ingestion.connector;

/**
 * An object a file drop imported: a new version of the same key (another ETag) is
 * imported again, the same version never twice.
 *
 * @param key the object key or the file's path relative to the folder
 * @param etag the S3 ETag, or size and modification time of a local file
 * @param size its size in bytes
 * @param rows rows published from it
 * @param rejected rows dead-lettered from it
 * @param error why the whole object could not be read, null if it could
 */
public record ProcessedFile(String key, String etag, long size, long rows, long rejected, String error) {
}
