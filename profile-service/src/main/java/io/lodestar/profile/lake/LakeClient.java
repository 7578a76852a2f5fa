package io.lodestar.profile.lake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import io.lodestar.web.ServiceAssertionSigner;
import io.lodestar.web.WebSupportProperties;

/**
 * etl-service's internal lake API: the events a person's profiles have in the lake (for
 * access exports and the older part of timelines), and their row-level erasure. Absent
 * when no lake URL is configured.
 */
@Component
@EnableConfigurationProperties(LakeProperties.class)
public class LakeClient {

	private static final int PAGE = 1000;

	private final RestClient http;

	private final ServiceAssertionSigner signer;

	LakeClient(LakeProperties properties, WebSupportProperties web) {
		this.http = (properties.url() != null) ? RestClient.builder().baseUrl(properties.url().toString()).build()
				: null;
		this.signer = new ServiceAssertionSigner(web, "service:profile-service", Clock.systemUTC());
	}

	public boolean configured() {
		return this.http != null;
	}

	/**
	 * Deletes every lake row of these profiles (etl-service's row-level delete).
	 * @return the rows deleted
	 */
	public long erase(String workspace, List<UUID> profileIds) {
		JsonNode answer = this.http.post()
			.uri("/internal/v1/lake/erasures")
			.headers((headers) -> headers.addAll(this.signer.headers(workspace)))
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
	public List<JsonNode> events(String workspace, List<UUID> profileIds) {
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
					.headers((headers) -> headers.addAll(this.signer.headers(workspace)))
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

	/**
	 * The newest lake events of these profiles older than a point, across the profiles,
	 * newest first.
	 * @param workspace the workspace
	 * @param profileIds the profile and the profiles merged into it
	 * @param before only events before this point (its instant, then its event id)
	 * @param accept which events count (the caller's filters)
	 * @param wanted how many events are wanted
	 * @return at most {@code wanted} events
	 */
	public List<JsonNode> page(String workspace, List<UUID> profileIds, Point before,
			java.util.function.Predicate<JsonNode> accept, int wanted) {
		List<JsonNode> found = new ArrayList<>();
		for (UUID profileId : profileIds) {
			// each profile's own stream, newest first; the top of the merge is within
			// each
			// stream's top
			int taken = 0;
			String cursor = (before != null) ? before.occurredAt().plusNanos(1_000).toString() : null;
			while (taken < wanted) {
				String at = cursor;
				JsonNode page = this.http.get()
					.uri((uri) -> uri.path("/internal/v1/lake/events")
						.queryParam("workspaceId", workspace)
						.queryParam("profileId", profileId)
						.queryParam("limit", PAGE)
						.queryParamIfPresent("before", java.util.Optional.ofNullable(at))
						.build())
					.headers((headers) -> headers.addAll(this.signer.headers(workspace)))
					.retrieve()
					.body(JsonNode.class);
				List<JsonNode> rows = (page != null) ? page.path("events").valueStream().toList() : List.of();
				for (JsonNode row : rows) {
					if ((before == null || Point.of(row).isBefore(before)) && accept.test(row) && taken < wanted) {
						found.add(row);
						taken++;
					}
				}
				if (rows.size() < PAGE) {
					break;
				}
				String next = Instant.parse(rows.get(rows.size() - 1).path("occurredAt").asString())
					.plusNanos(1_000)
					.toString();
				if (next.equals(cursor)) {
					break;
				}
				cursor = next;
			}
		}
		found.sort((a, b) -> Point.of(b).compareTo(Point.of(a)));
		return found.subList(0, Math.min(wanted, found.size()));
	}

	/**
	 * A place in a timeline: events are ordered by instant, then event id.
	 *
	 * @param occurredAt the instant
	 * @param eventId the event id
	 */
	public record Point(Instant occurredAt, UUID eventId) implements Comparable<Point> {

		static Point of(JsonNode event) {
			return new Point(Instant.parse(event.path("occurredAt").asString()),
					UUID.fromString(event.path("eventId").asString()));
		}

		boolean isBefore(Point other) {
			return compareTo(other) < 0;
		}

		/**
		 * By instant, then by event id as PostgreSQL and the lake order them (the
		 * canonical text, byte by byte — not {@link UUID#compareTo}, which compares
		 * signed halves).
		 */
		@Override
		public int compareTo(Point other) {
			int byTime = this.occurredAt.compareTo(other.occurredAt);
			return (byTime != 0) ? byTime : this.eventId.toString().compareTo(other.eventId.toString());
		}

	}

}
