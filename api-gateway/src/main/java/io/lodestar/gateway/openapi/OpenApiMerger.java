package io.lodestar.gateway.openapi;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Merges OpenAPI documents into one: the public paths ({@code /v1/...}) of each, their
 * schemas (a name two documents define differently is prefixed with its document's name,
 * and that document's references follow), and the ways to authenticate.
 */
final class OpenApiMerger {

	private static final String SCHEMA_REF = "#/components/schemas/";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private OpenApiMerger() {
	}

	/**
	 * @param documents each source's document by its name (gateway, ingestion, profile …)
	 * @param missing the sources that could not be read, listed in the result
	 * @param version the platform's version
	 * @return the merged document
	 */
	static ObjectNode merge(Map<String, JsonNode> documents, List<String> missing, String version) {
		ObjectNode merged = NODES.objectNode();
		merged.put("openapi", "3.1.0");
		ObjectNode info = merged.putObject("info");
		info.put("title", "Lodestar API");
		info.put("version", version);
		info.put("description", "Every public path of the platform behind the gateway. Sign in with POST "
				+ "/v1/auth/login and send the access token as a bearer token, or send an API key in X-Api-Key; "
				+ "the collector's paths take a write key as HTTP Basic username.");
		merged.putArray("servers").addObject().put("url", "/");
		ObjectNode paths = merged.putObject("paths");
		ObjectNode components = merged.putObject("components");
		ObjectNode schemas = components.putObject("schemas");
		securitySchemes(components.putObject("securitySchemes"));
		merged.putArray("security").add(NODES.objectNode().set("bearer", NODES.arrayNode()));
		((tools.jackson.databind.node.ArrayNode) merged.get("security"))
			.add(NODES.objectNode().set("apiKey", NODES.arrayNode()));

		Set<String> conflicting = conflictingSchemas(documents);
		for (Map.Entry<String, JsonNode> source : documents.entrySet()) {
			Map<String, String> renames = new HashMap<>();
			JsonNode sourceSchemas = source.getValue().path("components").path("schemas");
			for (String name : sourceSchemas.propertyNames()) {
				renames.put(name, conflicting.contains(name) ? source.getKey() + "_" + name : name);
			}
			JsonNode document = rewriteRefs(source.getValue(), renames);
			for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
				if (path.getKey().startsWith("/v1/") && !paths.has(path.getKey())) {
					paths.set(path.getKey(), path.getValue());
				}
			}
			for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
				schemas.set(renames.get(schema.getKey()), schema.getValue());
			}
		}
		if (!missing.isEmpty()) {
			tools.jackson.databind.node.ArrayNode list = merged.putArray("x-lodestar-unavailable");
			missing.forEach(list::add);
		}
		return merged;
	}

	private static Set<String> conflictingSchemas(Map<String, JsonNode> documents) {
		Map<String, JsonNode> first = new LinkedHashMap<>();
		Set<String> conflicting = new HashSet<>();
		for (JsonNode document : documents.values()) {
			for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
				JsonNode seen = first.putIfAbsent(schema.getKey(), schema.getValue());
				if (seen != null && !seen.equals(schema.getValue())) {
					conflicting.add(schema.getKey());
				}
			}
		}
		return conflicting;
	}

	private static JsonNode rewriteRefs(JsonNode node, Map<String, String> renames) {
		if (node.isObject()) {
			ObjectNode copy = NODES.objectNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				JsonNode value = property.getValue();
				if (property.getKey().equals("$ref") && value.isString() && value.asString().startsWith(SCHEMA_REF)) {
					String name = value.asString().substring(SCHEMA_REF.length());
					copy.set("$ref", StringNode.valueOf(SCHEMA_REF + renames.getOrDefault(name, name)));
				}
				else {
					copy.set(property.getKey(), rewriteRefs(value, renames));
				}
			}
			return copy;
		}
		if (node.isArray()) {
			tools.jackson.databind.node.ArrayNode copy = NODES.arrayNode();
			node.forEach((element) -> copy.add(rewriteRefs(element, renames)));
			return copy;
		}
		return node;
	}

	private static void securitySchemes(ObjectNode schemes) {
		ObjectNode bearer = schemes.putObject("bearer");
		bearer.put("type", "http");
		bearer.put("scheme", "bearer");
		bearer.put("bearerFormat", "JWT");
		bearer.put("description", "an access token from POST /v1/auth/login");
		ObjectNode apiKey = schemes.putObject("apiKey");
		apiKey.put("type", "apiKey");
		apiKey.put("in", "header");
		apiKey.put("name", "X-Api-Key");
		apiKey.put("description", "an API key (lsk_…) from POST /v1/api-keys");
		ObjectNode writeKey = schemes.putObject("writeKey");
		writeKey.put("type", "http");
		writeKey.put("scheme", "basic");
		writeKey.put("description", "the collector: a write key as username, empty password");
	}

}
