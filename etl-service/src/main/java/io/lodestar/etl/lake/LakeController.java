package io.lodestar.etl.lake;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.Workspace;

import static org.apache.spark.sql.functions.col;

/**
 * Internal lake endpoints on etl-service's port: erasure (for profile-service's erasure
 * job) and a profile's events, newest first (for the timeline's older events). Both act
 * on the {@link Workspace} the caller names — under a service secret only with the signed
 * assertion for it ({@code ServiceAssertionSigner} on the caller's side), like every
 * public endpoint — and a {@code workspaceId} in the request must be that one.
 */
@RestController
@RequestMapping("/internal/v1/lake")
class LakeController {

	private static final int MAX_LIMIT = 1000;

	private final LakeTable table;

	private final LakeEraser eraser;

	LakeController(LakeTable table, LakeEraser eraser) {
		this.table = table;
		this.eraser = eraser;
	}

	record ErasureRequest(String workspaceId, List<UUID> profileIds, List<String> userIds, List<String> anonymousIds) {
	}

	record ErasureResult(String workspaceId, long rowsDeleted) {
	}

	record LakeEvent(String eventId, String profileId, String type, String name, String userId, String anonymousId,
			Instant occurredAt, Instant receivedAt, String sourceId, String properties, String context, String traits) {
	}

	@PostMapping("/erasures")
	ResponseEntity<?> erase(Workspace workspace, @RequestBody ErasureRequest request) {
		List<UUID> profileIds = (request.profileIds() != null) ? request.profileIds() : List.of();
		List<String> userIds = (request.userIds() != null) ? request.userIds() : List.of();
		List<String> anonymousIds = (request.anonymousIds() != null) ? request.anonymousIds() : List.of();
		if (request.workspaceId() == null || !request.workspaceId().equals(workspace.id())) {
			return problem("workspaceId is required and must be the workspace of the request");
		}
		if (profileIds.isEmpty() && userIds.isEmpty() && anonymousIds.isEmpty()) {
			return problem("give at least one of profileIds, userIds, anonymousIds");
		}
		if (profileIds.stream().anyMatch(Objects::isNull) || userIds.stream().anyMatch(Objects::isNull)
				|| anonymousIds.stream().anyMatch(Objects::isNull)) {
			return problem("identifiers must not be null");
		}
		long deleted = this.eraser.erase(request.workspaceId(), profileIds, userIds, anonymousIds);
		return ResponseEntity.ok(new ErasureResult(request.workspaceId(), deleted));
	}

	@GetMapping("/events")
	ResponseEntity<?> events(Workspace workspace, @RequestParam(required = false) String workspaceId,
			@RequestParam UUID profileId, @RequestParam(required = false) Instant before,
			@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			return problem("limit must be between 1 and " + MAX_LIMIT);
		}
		if (workspaceId != null && !workspaceId.equals(workspace.id())) {
			return problem("workspaceId must be the workspace of the request");
		}
		Column filter = col("workspace_id").equalTo(workspace.id())
			.and(col("profile_id").equalTo(profileId.toString()));
		if (before != null) {
			filter = filter.and(col("occurred_at").lt(Timestamp.from(before)));
		}
		List<Row> rows = this.table.events()
			.filter(filter)
			.orderBy(col("occurred_at").desc(), col("event_id").desc())
			.limit(limit)
			.collectAsList();
		return ResponseEntity.ok(Map.of("events", rows.stream().map(LakeController::event).toList()));
	}

	private static LakeEvent event(Row row) {
		Timestamp received = row.getAs("received_at");
		return new LakeEvent(row.getAs("event_id"), row.getAs("profile_id"), row.getAs("type"), row.getAs("name"),
				row.getAs("user_id"), row.getAs("anonymous_id"), row.<Timestamp>getAs("occurred_at").toInstant(),
				(received != null) ? received.toInstant() : null, row.getAs("source_id"), row.getAs("properties"),
				row.getAs("context"), row.getAs("traits"));
	}

	private static ResponseEntity<ProblemDetail> problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid lake request");
		return ResponseEntity.badRequest().body(problem);
	}

}
