package io.lodestar.profile.analytics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.Workspace;

/**
 * {@code /v1/analytics}: KPIs, sales, top events, funnels, paths, retention and kiosk
 * zones of the caller's workspace. Every answer is JSON, or CSV with {@code format=csv}.
 * Ranges are {@code from}/{@code to} as ISO dates (whole UTC days, {@code to} included)
 * or instants.
 */
@RestController
@RequestMapping("/v1/analytics")
class AnalyticsController {

	private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

	private static final MediaType PDF = MediaType.APPLICATION_PDF;

	private final AnalyticsRunner runner;

	private final SalesService sales;

	private final FunnelService funnels;

	private final EventIndex index;

	AnalyticsController(AnalyticsRunner runner, SalesService sales, FunnelService funnels, EventIndex index) {
		this.runner = runner;
		this.sales = sales;
		this.funnels = funnels;
		this.index = index;
	}

	/**
	 * Whether funnels and paths of the workspace are answered from the in-memory timeline
	 * (ADR 0033): {@code ready}, its profiles and events, when it last caught up.
	 */
	@GetMapping("/index")
	Map<String, Object> index(Workspace workspace) {
		return this.index.status(workspace.id());
	}

	/** When the workspace's data starts and ends. */
	@GetMapping("/span")
	Map<String, Object> span(Workspace workspace) {
		return this.sales.span(workspace.id());
	}

	@GetMapping("/kpis")
	ResponseEntity<?> kpis(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String interval,
			@RequestParam(required = false) String format) {
		return answer(workspace, query("kpis", "interval", interval), from, to, format);
	}

	@GetMapping("/sales")
	ResponseEntity<?> sales(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "product") String by,
			@RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) String format) {
		return answer(workspace, query("sales", "by", by, "limit", String.valueOf(limit)), from, to, format);
	}

	@GetMapping("/events/top")
	ResponseEntity<?> topEvents(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(required = false) String type,
			@RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) String format) {
		return answer(workspace, query("events", "type", type, "limit", String.valueOf(limit)), from, to, format);
	}

	@PostMapping("/funnels")
	ResponseEntity<?> funnel(Workspace workspace, @RequestBody FunnelRequest request,
			@RequestParam(required = false) String format) {
		return answer(this.runner.run(workspace.id(), new AnalyticsQuery("funnel", null, request, null), null), format);
	}

	/**
	 * The profiles that dropped out before a step, to look at or to act on.
	 */
	@PostMapping("/funnels/dropped")
	Map<String, Object> dropped(Workspace workspace, @RequestBody DroppedRequest request) {
		if (request.funnel() == null) {
			throw Invalid.at("/funnel", "funnel is required");
		}
		int limit = (request.limit() != null) ? request.limit() : 100;
		if (limit < 1 || limit > 1000) {
			throw Invalid.at("/limit", "limit is 1-1000");
		}
		UUID cursor;
		try {
			cursor = (request.cursor() != null) ? UUID.fromString(request.cursor()) : null;
		}
		catch (IllegalArgumentException ex) {
			throw Invalid.at("/cursor", "cursor is the last profile id of the previous page");
		}
		int step = (request.step() != null) ? request.step() : 2;
		List<Map<String, Object>> profiles = this.funnels.dropped(workspace.id(), request.funnel(), step, cursor,
				limit);
		Map<String, Object> page = new LinkedHashMap<>();
		page.put("step", step);
		page.put("profiles", profiles);
		page.put("nextCursor",
				(profiles.size() == limit) ? String.valueOf(profiles.get(profiles.size() - 1).get("profileId")) : null);
		return page;
	}

	@PostMapping("/paths")
	ResponseEntity<?> paths(Workspace workspace, @RequestBody PathRequest request,
			@RequestParam(required = false) String format) {
		return answer(this.runner.run(workspace.id(), new AnalyticsQuery("paths", null, null, request), null), format);
	}

	@GetMapping("/retention")
	ResponseEntity<?> retention(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "first-seen") String cohort,
			@RequestParam(defaultValue = "week") String period, @RequestParam(required = false) String event,
			@RequestParam(defaultValue = "8") int periods, @RequestParam(required = false) String format) {
		return answer(workspace, query("retention", "cohort", cohort, "period", period, "event", event, "periods",
				String.valueOf(periods)), from, to, format);
	}

	@GetMapping("/campaigns")
	ResponseEntity<?> campaigns(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "campaign") String by,
			@RequestParam(defaultValue = "30") int lookbackDays, @RequestParam(defaultValue = "total") String interval,
			@RequestParam(required = false) String format) {
		return answer(workspace,
				query("campaigns", "by", by, "lookbackDays", String.valueOf(lookbackDays), "interval", interval), from,
				to, format);
	}

	@GetMapping("/kiosk")
	ResponseEntity<?> kiosk(Workspace workspace, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "day") String by,
			@RequestParam(required = false) String format) {
		return answer(workspace, query("kiosk", "by", by), from, to, format);
	}

	/**
	 * @param funnel the funnel
	 * @param step the step they did not reach (2 … steps), default 2
	 * @param limit page size, 1-1000, default 100
	 * @param cursor the previous page's last profile id
	 */
	record DroppedRequest(FunnelRequest funnel, Integer step, Integer limit, String cursor) {
	}

	/** A query of the given kind from name/value pairs, leaving out absent values. */
	private static AnalyticsQuery query(String kind, String... pairs) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				parameters.put(pairs[i], pairs[i + 1]);
			}
		}
		return new AnalyticsQuery(kind, parameters, null, null);
	}

	private ResponseEntity<?> answer(Workspace workspace, AnalyticsQuery query, String from, String to, String format) {
		checkFormat(format);
		return answer(this.runner.run(workspace.id(), query, DateRange.parse(from, to, "")), format);
	}

	static ResponseEntity<?> answer(AnalyticsRunner.Answer answer, String format) {
		checkFormat(format);
		if (format == null || format.equals("json")) {
			return ResponseEntity.ok(answer.result());
		}
		boolean csv = format.equals("csv");
		return ResponseEntity.ok()
			.contentType(csv ? CSV : PDF)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"" + answer.name() + (csv ? ".csv" : ".pdf") + "\"")
			.body(csv ? answer.result().table().csv() : answer.pdf());
	}

	private static void checkFormat(String format) {
		if (format != null && !List.of("json", "csv", "pdf").contains(format)) {
			throw Invalid.at("format", "format is json, csv or pdf");
		}
	}

}
