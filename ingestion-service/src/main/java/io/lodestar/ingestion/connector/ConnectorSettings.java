package io.lodestar.ingestion.connector;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connector's non-secret settings (a JSON object), with typed reads that report a wrong
 * value per field.
 */
public final class ConnectorSettings {

	private final ObjectNode node;

	/**
	 * @param node the settings object
	 */
	public ConnectorSettings(ObjectNode node) {
		this.node = node;
	}

	/**
	 * No settings.
	 * @return an empty object
	 */
	public static ConnectorSettings empty() {
		return new ConnectorSettings(JsonNodeFactory.instance.objectNode());
	}

	/**
	 * @return the JSON object (stored as is)
	 */
	public ObjectNode node() {
		return this.node;
	}

	/**
	 * @param name a setting
	 * @return its JSON value, or a missing node
	 */
	public JsonNode get(String name) {
		return this.node.path(name);
	}

	/**
	 * @param name a setting
	 * @return its text, empty when absent, null or blank
	 */
	public Optional<String> text(String name) {
		JsonNode value = this.node.get(name);
		if (value == null || value.isNull() || !value.isValueNode() || value.asString().isBlank()) {
			return Optional.empty();
		}
		return Optional.of(value.asString().trim());
	}

	/**
	 * @param name a required text setting
	 * @return its text
	 * @throws IllegalStateException if absent (validation should have caught it)
	 */
	public String requiredText(String name) {
		return text(name).orElseThrow(() -> new IllegalStateException("setting '" + name + "' is missing"));
	}

	/**
	 * @param name a date setting ({@code yyyy-MM-dd})
	 * @return the date, empty when absent
	 * @throws IllegalStateException if present but not a date
	 */
	public Optional<LocalDate> date(String name) {
		return text(name).map((value) -> {
			try {
				return LocalDate.parse(value);
			}
			catch (DateTimeParseException ex) {
				throw new IllegalStateException("setting '" + name + "' is not a date");
			}
		});
	}

	/**
	 * @param name an integer setting
	 * @param fallback when absent
	 * @return the value
	 */
	public int integer(String name, int fallback) {
		JsonNode value = this.node.get(name);
		if (value == null || value.isNull()) {
			return fallback;
		}
		if (value.isIntegralNumber()) {
			return value.intValue();
		}
		if (value.isString()) {
			try {
				return Integer.parseInt(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("setting '" + name + "' is not an integer");
			}
		}
		throw new IllegalStateException("setting '" + name + "' is not an integer");
	}

	/**
	 * @param name a time-zone setting
	 * @param fallback when absent
	 * @return the zone
	 */
	public ZoneId zone(String name, ZoneId fallback) {
		return text(name).map(ZoneId::of).orElse(fallback);
	}

	/**
	 * Checks a required text setting.
	 * @param errors the errors
	 * @param name the setting
	 * @param pattern a regular expression it must match, or null
	 * @param hint what a valid value looks like
	 */
	public void requireText(FieldErrors errors, String name, String pattern, String hint) {
		Optional<String> value = text(name);
		if (value.isEmpty()) {
			errors.add("settings." + name, "is required");
		}
		else if (pattern != null && !value.get().matches(pattern)) {
			errors.add("settings." + name, "must be " + hint);
		}
	}

	/**
	 * Checks an optional setting's type.
	 * @param errors the errors
	 * @param name the setting
	 * @param type {@code date}, {@code integer>=0}, {@code zone} or {@code text}
	 */
	public void checkOptional(FieldErrors errors, String name, String type) {
		if (this.node.get(name) == null || this.node.get(name).isNull()) {
			return;
		}
		try {
			switch (type) {
				case "date" -> date(name);
				case "integer>=0" -> {
					if (integer(name, 0) < 0) {
						errors.add("settings." + name, "must not be negative");
					}
				}
				case "zone" -> zone(name, null);
				default -> {
					if (!this.node.get(name).isValueNode()) {
						errors.add("settings." + name, "must be a text");
					}
				}
			}
		}
		catch (RuntimeException ex) {
			errors.add("settings." + name, switch (type) {
				case "date" -> "must be a date (yyyy-MM-dd)";
				case "integer>=0" -> "must be a whole number";
				case "zone" -> "must be a time zone such as Europe/Paris";
				default -> "is invalid";
			});
		}
	}

	@Override
	public String toString() {
		return "ConnectorSettings" + Map.of("fields", this.node.size());
	}

}
