package io.lodestar.profile.privacy;

import java.time.Instant;
import java.util.ArrayList;
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

	private static final int PAGE = 1000;

	private final RestClient http;

	LakeClient(PrivacyProperties properties) {
		this.http = (properties.lakeUrl() != null)
				? RestClient.builder().baseUrl(properties.lakeUrl().toString()).build() : null;
	}

	boolean configured() {
		return this.http != null;
	}

	/**
	 * Deletes every lake row of these profiles (etl-service's row-level delete).
	 * @return the rows deleted
	 */
	long erase(String workspace, List<UUID> profileIds) {
		JsonNode answer = this.http.post()
			.uri("/internal/v1/lake/erasures")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("workspaceId", workspace, "profileIds", profileIds))
			.retrieve()
			.body(JsonNode.class);
		return (answer != null) ? answer.path("rowsDeleted").asLong(0) : 0;
	}

	/**
	 * Every lake event of these profiles, newest first, read page by page ({@code before}
	 * the oldest event of the previous page, one microsecond later so that events sharing
	 * that instant are read again rather than skipped; the caller drops repeats by event
	 * id).
	 */
	List<JsonNode> events(String workspace, List<UUID> profileIds) {
		List<JsonNode> events = new ArrayList<>();
		for (UUID profileId : profileIds) {
			String before = null;
			while (true) {
				String cursor = before;
				JsonNode page = this.http.get()
					.uri((uri) -> uri.path("/internal/v1/lake/events")
						.queryParam("workspaceId", workspace)
						.queryParam("profileId", profileId)
						.queryParam("limit", PAGE)
						.queryParamIfPresent("before", java.util.Optional.ofNullable(cursor))
						.build())
					.retrieve()
					.body(JsonNode.class);
				List<JsonNode> rows = (page != null) ? page.path("events").valueStream().toList() : List.of();
				events.addAll(rows);
				if (rows.size() < PAGE) {
					break;
				}
				String oldest = rows.get(rows.size() - 1).path("occurredAt").asString();
				String next = Instant.parse(oldest).plusNanos(1_000).toString();
				if (next.equals(before) || rows.get(0).path("occurredAt").asString().equals(oldest)) {
					// a whole page at one instant: nothing older can be reached this way
					break;
				}
				before = next;
			}
		}
		return events;
	}

}
