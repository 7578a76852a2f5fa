package io.lodestar.ingestion.writekey;

/**
 * A write key just created: the only time the key itself is shown.
 *
 * @param writeKey the key
 * @param key its description
 */
public record CreatedWriteKey(String writeKey, WriteKeyDescription key) {
}
