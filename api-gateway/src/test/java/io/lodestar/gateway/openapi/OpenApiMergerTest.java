package io.lodestar.gateway.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiMergerTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void keepsEveryPublicPathAndSeparatesSchemasThatShareANameButDiffer() {
		Map<String, JsonNode> documents = new LinkedHashMap<>();
		documents.put("profile", JSON.readTree("""
				{"paths":{"/v1/profiles":{"get":{"responses":{"200":{"content":{"application/json":{"schema":
				{"$ref":"#/components/schemas/Page"}}}}}}},
				"/internal/v1/things":{"get":{}}},
				"components":{"schemas":{"Page":{"type":"object","properties":{"profiles":{"type":"array"}}},
				"Problem":{"type":"object"}}}}"""));
		documents.put("segment", JSON.readTree("""
				{"paths":{"/v1/segments":{"get":{"responses":{"200":{"content":{"application/json":{"schema":
				{"$ref":"#/components/schemas/Page"}}}}}}}},
				"components":{"schemas":{"Page":{"type":"object","properties":{"segments":{"type":"array"}}},
				"Problem":{"type":"object"}}}}"""));

		ObjectNode merged = OpenApiMerger.merge(documents, List.of("recommender"), "1.0");

		assertThat(merged.path("paths").propertyNames()).containsExactlyInAnyOrder("/v1/profiles", "/v1/segments");
		assertThat(merged.path("components").path("schemas").propertyNames()).containsExactlyInAnyOrder("profile_Page",
				"segment_Page", "Problem");
		assertThat(
				merged.at("/paths/~1v1~1segments/get/responses/200/content/application~1json/schema/$ref").asString())
			.isEqualTo("#/components/schemas/segment_Page");
		assertThat(merged.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(merged.at("/components/securitySchemes/apiKey/name").asString()).isEqualTo("X-Api-Key");
		assertThat(merged.path("x-lodestar-unavailable").get(0).asString()).isEqualTo("recommender");
	}

}
