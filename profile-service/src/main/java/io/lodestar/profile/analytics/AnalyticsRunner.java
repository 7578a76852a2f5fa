package io.lodestar.profile.analytics;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;

/**
 * Answers an {@link AnalyticsQuery} for a range — for the API and for scheduled reports
 * alike — with what a printed version needs: a title, what was asked, and a chart.
 */
@Service
class AnalyticsRunner {

	private final KpiService kpis;

	private final SalesService sales;

	private final FunnelService funnels;

	private final PathService paths;

	private final RetentionService retention;

	private final KioskService kiosk;

	private final CampaignService campaigns;

	AnalyticsRunner(KpiService kpis, SalesService sales, FunnelService funnels, PathService paths,
			RetentionService retention, KioskService kiosk, CampaignService campaigns) {
		this.kpis = kpis;
		this.sales = sales;
		this.funnels = funnels;
		this.paths = paths;
		this.retention = retention;
		this.kiosk = kiosk;
		this.campaigns = campaigns;
	}

	/**
	 * An answer with its printed form's parts.
	 *
	 * @param result the answer (JSON, and a table)
	 * @param name a file name
	 * @param title the printed title
	 * @param lines what was asked
	 * @param bars the chart, or null
	 */
	record Answer(Table.Exportable result, String name, String title, List<String> lines, PdfReport.Bars bars) {

		byte[] pdf() {
			return PdfReport.render(this.title, this.lines, this.result.table(), this.bars);
		}

	}

	/**
	 * @param workspace the workspace
	 * @param query the question
	 * @param range its range; for funnels and paths, null takes the body's own
	 */
	Answer run(String workspace, AnalyticsQuery query, DateRange range) {
		if (query.kind() == null || !AnalyticsQuery.KINDS.contains(query.kind())) {
			throw Invalid.at("/kind", "kind is one of " + String.join(", ", AnalyticsQuery.KINDS));
		}
		List<String> lines = new ArrayList<>();
		return switch (query.kind()) {
			case "kpis" -> {
				KpiResult result = this.kpis.kpis(workspace, range, query.parameters().get("interval"));
				lines.add(span(range) + ", compared with " + span(range.previous()));
				yield new Answer(result, "kpis", "Overview", lines, null);
			}
			case "sales" -> {
				String by = query.parameter("by", "product");
				Rows result = this.sales.sales(workspace, range, by, limit(query));
				lines.add(span(range));
				yield new Answer(result, "sales-by-" + by, "Sales by " + by, lines, new PdfReport.Bars(by, "revenue"));
			}
			case "events" -> {
				String type = query.parameters().get("type");
				Rows result = this.sales.topEvents(workspace, range, type, limit(query));
				lines.add(span(range) + ((type != null) ? ", " + type + " events" : ""));
				yield new Answer(result, "top-events", "Top events", lines, new PdfReport.Bars("label", "events"));
			}
			case "funnel" -> {
				FunnelRequest funnel = funnel(query, range);
				FunnelResult result = this.funnels.run(workspace, funnel);
				lines.add(span(result.from(), result.to()) + ", conversion window " + result.window());
				List<String> steps = new ArrayList<>();
				result.steps().forEach((step) -> steps.add(step.label()));
				lines.add("Steps: " + String.join(" > ", steps));
				yield new Answer(result, "funnel", "Funnel", lines, null);
			}
			case "paths" -> {
				PathRequest request = paths(query, range);
				PathResult result = this.paths.run(workspace, request);
				lines.add(span(result.from(), result.to()) + ", " + result.direction() + " " + request.anchor().label()
						+ ", " + result.profiles() + " profiles");
				yield new Answer(result, "paths", "Paths", lines, null);
			}
			case "retention" -> {
				RetentionResult result = this.retention.retention(workspace, range,
						query.parameter("cohort", "first-seen"), query.parameter("period", "week"),
						query.parameters().get("event"), query.number("periods", 8));
				lines.add(span(range) + ", cohorts by " + result.cohort() + " " + result.period());
				yield new Answer(result, "retention", "Retention", lines, null);
			}
			case "campaigns" -> {
				String by = query.parameter("by", "campaign");
				String interval = query.parameter("interval", "total");
				if (!List.of("total", "day").contains(interval)) {
					throw Invalid.at("interval", "interval is total or day");
				}
				Rows result = this.campaigns.campaigns(workspace, range, by, query.number("lookbackDays", 30),
						"day".equals(interval));
				lines.add(span(range) + ", last touch within " + query.number("lookbackDays", 30) + " days");
				yield new Answer(result, "campaigns-by-" + by, "Campaigns by " + by, lines,
						new PdfReport.Bars(by, "revenue"));
			}
			default -> {
				String by = query.parameter("by", "day");
				Rows result = this.kiosk.zones(workspace, range, by);
				lines.add(span(range) + ", by " + by);
				yield new Answer(result, "kiosk-" + by, "Kiosk zones", lines,
						"total".equals(by) ? new PdfReport.Bars("zone", "impressions") : null);
			}
		};
	}

	private static FunnelRequest funnel(AnalyticsQuery query, DateRange range) {
		FunnelRequest funnel = query.funnel();
		if (funnel == null) {
			throw Invalid.at("/request", "a funnel report needs the funnel as its request");
		}
		return (range == null) ? funnel : new FunnelRequest(funnel.steps(), funnel.window(), range.from().toString(),
				range.to().toString(), funnel.exclusions(), funnel.breakdown());
	}

	private static PathRequest paths(AnalyticsQuery query, DateRange range) {
		PathRequest paths = query.paths();
		if (paths == null) {
			throw Invalid.at("/request", "a paths report needs the path question as its request");
		}
		return (range == null) ? paths : new PathRequest(paths.start(), paths.end(), paths.depth(), paths.top(),
				range.from().toString(), range.to().toString(), paths.collapseRepeats());
	}

	private static int limit(AnalyticsQuery query) {
		int limit = query.number("limit", 20);
		if (limit < 1 || limit > 1000) {
			throw Invalid.at("limit", "limit is 1-1000");
		}
		return limit;
	}

	private static String span(DateRange range) {
		return span(range.from(), range.to());
	}

	private static String span(java.time.Instant from, java.time.Instant to) {
		return from + " to " + to;
	}

}
