package io.lodestar.infra;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name value} command-line options of the infrastructure mains.
 */
final class Args {

	private final Map<String, String> values = new HashMap<>();

	Args(String[] args) {
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
			}
			this.values.put(args[i].substring(2), args[++i]);
		}
	}

	String get(String name) {
		String value = this.values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("missing option --" + name);
		}
		return value;
	}

	String get(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	int getInt(String name) {
		return Integer.parseInt(get(name));
	}

}
