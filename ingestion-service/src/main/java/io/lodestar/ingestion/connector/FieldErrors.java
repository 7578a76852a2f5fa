package io.lodestar.ingestion.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation errors per field, answered as one 400 problem listing all of them.
 */
public final class FieldErrors {

	private final List<Map<String, String>> errors = new ArrayList<>();

	/**
	 * @param field the field's path, e.g. {@code settings.accountId}
	 * @param message what is wrong with it
	 */
	public void add(String field, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("message", message);
		this.errors.add(error);
	}

	/**
	 * @return whether nothing was added
	 */
	public boolean isEmpty() {
		return this.errors.isEmpty();
	}

	/**
	 * @return the errors as {@code {field, message}} objects
	 */
	public List<Map<String, String>> asList() {
		return List.copyOf(this.errors);
	}

}
