package io.lodestar.etl.jobs;

/**
 * A parameter a job accepts.
 *
 * @param name its name in the request's {@code parameters}
 * @param type its JSON type
 * @param description what it changes
 */
public record JobParameter(String name, Type type, String description) {

	/** The JSON type of a parameter's value. */
	public enum Type {

		/** a whole number */
		INTEGER,
		/** any number */
		NUMBER,
		/** a string */
		STRING,
		/** true or false */
		BOOLEAN;

		@com.fasterxml.jackson.annotation.JsonValue
		String json() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
