package io.lodestar.segment.segments;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/segments}: preview, define, recompute, read members and size history.
 */
@RestController
@RequestMapping("/v1/segments")
class SegmentController {

	private final SegmentService segments;

	private final SegmentExport export;

	SegmentController(SegmentService segments, SegmentExport export) {
		this.segments = segments;
		this.export = export;
	}

	@PostMapping("/preview")
	SegmentViews.Preview preview(Workspace workspace, @RequestBody SegmentViews.PreviewRequest request) {
		return this.segments.preview(workspace, request.rule());
	}

	@PostMapping
	ResponseEntity<SegmentViews.Segment> create(Workspace workspace, @RequestBody SegmentViews.SegmentRequest request) {
		SegmentViews.Segment created = this.segments.create(workspace, request);
		return ResponseEntity.created(URI.create("/v1/segments/" + created.segmentId())).body(created);
	}

	@GetMapping
	List<SegmentViews.Segment> list(Workspace workspace) {
		return this.segments.list(workspace);
	}

	@GetMapping("/{segmentId}")
	SegmentViews.Segment get(Workspace workspace, @PathVariable UUID segmentId) {
		return this.segments.find(workspace, segmentId).orElseThrow(() -> SegmentService.notFound(segmentId));
	}

	@PutMapping("/{segmentId}")
	SegmentViews.Segment update(Workspace workspace, @PathVariable UUID segmentId,
			@RequestBody SegmentViews.SegmentRequest request) {
		return this.segments.update(workspace, segmentId, request);
	}

	@DeleteMapping("/{segmentId}")
	ResponseEntity<Void> delete(Workspace workspace, @PathVariable UUID segmentId) {
		this.segments.delete(workspace, segmentId);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{segmentId}/recompute")
	SegmentViews.Recomputed recompute(Workspace workspace, @PathVariable UUID segmentId) {
		return this.segments.recompute(workspace, segmentId);
	}

	@GetMapping("/{segmentId}/members")
	SegmentViews.MembersPage members(Workspace workspace, @PathVariable UUID segmentId,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
		return this.segments.members(workspace, segmentId, limit(limit), cursor);
	}

	@GetMapping("/{segmentId}/history")
	List<SegmentViews.SizePoint> history(Workspace workspace, @PathVariable UUID segmentId,
			@RequestParam(defaultValue = "50") int limit) {
		return this.segments.history(workspace, segmentId, limit(limit));
	}

	/**
	 * The members as CSV; only those who granted marketing consent unless
	 * {@code ignoreConsent=true}.
	 */
	@GetMapping(path = "/{segmentId}/export", produces = "text/csv")
	ResponseEntity<StreamingResponseBody> export(Workspace workspace, @PathVariable UUID segmentId,
			@RequestParam(defaultValue = "false") boolean ignoreConsent) {
		this.segments.find(workspace, segmentId).orElseThrow(() -> SegmentService.notFound(segmentId));
		StreamingResponseBody body = (out) -> this.export.write(workspace.id(), segmentId, !ignoreConsent, out);
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"segment-" + segmentId + ".csv\"")
			.body(body);
	}

	private static int limit(int limit) {
		if (limit < 1 || limit > 500) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-500");
		}
		return limit;
	}

}
