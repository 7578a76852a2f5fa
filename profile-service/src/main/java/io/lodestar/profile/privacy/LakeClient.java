package io.lodestar.profile.privacy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * etl-service's internal lake API: the events a person's profiles have in the lake, and
 * their row-level erasure. Absent when no lake URL is configured.
 */
@Component
class LakeClient {

	private final RestClient http;

	LakeClient(PrivacyProperties properties) {
		this.http = (properties.lakeUrl() != null)
				? RestClient.builder().baseUrl(properties.lakeUrl().toString()).build() : null;
	}

	boolean configured() {
		return this.http != null;
	}

	/**
	 * Deletes every lake row of these profiles.
	 * @return the rows deleted
	 */
	long erase(String workspace, List<UUID> profileIds) {
		JsonNode answer = this.http.post()
			.uri("/internal/v1/lake/erasures")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("workspaceId", workspace, "profileIds", profileIds))
			.retrieve()
			.body(JsonNode.class);
		return (answer != null) ? answer.path("deleted").asLong(0) : 0;
	}

	/**
	 * Every lake event of these profiles, newest first.
	 */
	List<JsonNode> events(String workspace, List<UUID> profileIds) {
		JsonNode answer = this.http.post()
			.uri("/internal/v1/lake/events/export")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("workspaceId", workspace, "profileIds", profileIds))
			.retrieve()
			.body(JsonNode.class);
		return (answer != null && answer.path("events").isArray()) ? answer.path("events").valueStream().toList()
				: List.of();
	}

}
