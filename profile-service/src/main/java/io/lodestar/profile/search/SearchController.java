package io.lodestar.profile.search;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.lodestar.web.Workspace;

/**
 * {@code GET /v1/profiles} (the list, when no identifier is given),
 * {@code POST /v1/profiles/search} and {@code POST /v1/profiles/export}.
 */
@RestController
@RequestMapping("/v1/profiles")
class SearchController {

	private final SearchService search;

	SearchController(SearchService search) {
		this.search = search;
	}

	/**
	 * The list: every profile, newest activity first unless sorted otherwise. Mapped only
	 * when no lookup identifier is given, so that it is more specific than the lookup.
	 */
	@GetMapping(params = { "!userId", "!anonymousId", "!email", "!phone", "!deviceId", "!customerId" })
	SearchPage list(Workspace workspace, @RequestParam(required = false) Integer limit,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) String sort,
			@RequestParam(required = false) String direction) {
		return this.search.search(workspace,
				new SearchRequest(null, new SearchRequest.Sort(sort, direction), limit, cursor));
	}

	@PostMapping("/search")
	SearchPage search(Workspace workspace, @RequestBody SearchRequest request) {
		return this.search.search(workspace, request);
	}

	@PostMapping(path = "/export", produces = "text/csv")
	ResponseEntity<StreamingResponseBody> export(Workspace workspace, @RequestBody ExportRequest request) {
		var columns = ExportColumn.of(request.columns());
		String purpose = (request.consentPurpose() != null) ? request.consentPurpose() : "marketing";
		if (!SearchSql.CONSENT_PURPOSES.contains(purpose)) {
			throw SearchSql.invalid("/consentPurpose", "consent purposes are analytics, marketing and personalisation");
		}
		String consent = Boolean.TRUE.equals(request.ignoreConsent()) ? null : purpose;
		SearchRequest search = new SearchRequest(request.filters(), request.sort(), null, null);
		// compile once before streaming so that a bad filter is a 400, not a broken
		// download
		this.search.validate(workspace, search);
		StreamingResponseBody body = (out) -> this.search.export(workspace, search, columns, consent, out);
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"profiles.csv\"")
			.body(body);
	}

}
