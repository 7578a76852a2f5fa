package io.lodestar.ingestion.connector;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A connector's secrets by name. {@link #toString()} names the keys only, so a credential
 * never reaches a log line by accident.
 *
 * @param values the secrets
 */
public record Credentials(Map<String, String> values) {

	/**
	 * @param values the secrets, copied
	 */
	public Credentials {
		values = Map.copyOf(values);
	}

	/**
	 * No secrets.
	 * @return empty credentials
	 */
	public static Credentials of() {
		return new Credentials(Map.of());
	}

	/**
	 * A secret.
	 * @param name its name
	 * @return its value, or null
	 */
	public String get(String name) {
		return this.values.get(name);
	}

	/**
	 * Adds an error for each required secret that is missing or blank.
	 * @param errors the errors
	 * @param names the required names
	 */
	public void require(FieldErrors errors, String... names) {
		for (String name : names) {
			String value = this.values.get(name);
			if (value == null || value.isBlank()) {
				errors.add("credentials." + name, "is required");
			}
		}
	}

	/**
	 * Replaces every secret value in a text with {@code ***}.
	 * @param text e.g. an error message
	 * @return the text without secrets
	 */
	public String scrub(String text) {
		if (text == null) {
			return null;
		}
		String scrubbed = text;
		for (String value : this.values.values()) {
			if (value != null && value.length() >= 4) {
				scrubbed = scrubbed.replace(value, "***");
			}
		}
		return scrubbed;
	}

	@Override
	public String toString() {
		Set<String> names = new TreeSet<>(this.values.keySet());
		return "Credentials" + names;
	}

}
