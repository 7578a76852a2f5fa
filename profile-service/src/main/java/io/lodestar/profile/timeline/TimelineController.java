package io.lodestar.profile.timeline;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code GET /v1/profiles/{profileId}/events?type=&from=&to=&limit=&cursor=}.
 */
@RestController
class TimelineController {

	private static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");

	private final TimelineService timeline;

	TimelineController(TimelineService timeline) {
		this.timeline = timeline;
	}

	@GetMapping("/v1/profiles/{profileId}/events")
	TimelinePage events(Workspace workspace, @PathVariable UUID profileId, @RequestParam(required = false) String type,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
		if (type != null && !TYPES.contains(type)) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter",
					"type must be one of track, identify, page, screen, group, alias");
		}
		if (limit < 1 || limit > 200) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-200");
		}
		if (from != null && to != null && !from.isBefore(to)) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "from must be before to");
		}
		String after = (cursor == null || cursor.isBlank()) ? null : cursor;
		return this.timeline.page(workspace, profileId, new TimelineQuery(type, from, to, limit, after))
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					Problems.of(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found", "profile " + profileId),
					null));
	}

}
