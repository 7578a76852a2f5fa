package io.lodestar.contracts.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The logical event types of the ingestion domain (the Segment spec's message types),
 * each with the SchemaVer of its current schema. Never a Java class name on the wire.
 */
public enum EventType {

	TRACK("track", "1-0-0"), IDENTIFY("identify", "1-0-0"), PAGE("page", "1-0-0"), SCREEN("screen", "1-0-0"),
	GROUP("group", "1-0-0"), ALIAS("alias", "1-0-0");

	/**
	 * The domain of the schemas, {@code schemas/<domain>/<event>/<event>-<version>.json}.
	 */
	public static final String DOMAIN = "ingestion";

	private final String id;

	private final String schemaVersion;

	EventType(String id, String schemaVersion) {
		this.id = id;
		this.schemaVersion = schemaVersion;
	}

	/**
	 * The logical type id as it travels on the wire.
	 * @return e.g. {@code track}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The current SchemaVer of this type.
	 * @return e.g. {@code 1-0-0}
	 */
	public String schemaVersion() {
		return this.schemaVersion;
	}

	/**
	 * The classpath location of the JSON Schema of a version of this type.
	 * @param version a SchemaVer
	 * @return e.g. {@code schemas/ingestion/track/track-1-0-0.json}
	 */
	public String schemaResource(String version) {
		return "schemas/" + DOMAIN + "/" + this.id + "/" + this.id + "-" + version + ".json";
	}

	/**
	 * Looks a type up by its wire id.
	 * @param id the wire id, e.g. {@code track}
	 * @return the type, or empty for an unknown id
	 */
	public static Optional<EventType> fromId(String id) {
		return Arrays.stream(values()).filter((type) -> type.id.equals(id)).findFirst();
	}

}
