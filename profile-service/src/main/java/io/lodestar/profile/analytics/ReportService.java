package io.lodestar.profile.analytics;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

import io.lodestar.web.Problems;

/**
 * Saved analytics reports: stored per workspace, rendered for their relative range when
 * due (or on demand) and e-mailed to their recipients, every attempt in the delivery log.
 * Due reports are claimed by moving their next run with a compare-and-set, so each run is
 * sent by one instance only.
 */
@Service
@EnableScheduling
@EnableConfigurationProperties(ReportProperties.class)
class ReportService {

	private static final Logger logger = LoggerFactory.getLogger(ReportService.class);

	private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]{1,64}@[^@\\s,;<>]{1,190}\\.[^@\\s,;<>.]{2,63}");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final AnalyticsRunner runner;

	private final ReportMailer mailer;

	private final Clock clock;

	ReportService(JdbcClient jdbc, JsonMapper json, AnalyticsRunner runner, ReportMailer mailer) {
		this.jdbc = jdbc;
		this.json = json;
		this.runner = runner;
		this.mailer = mailer;
		this.clock = Clock.systemUTC();
	}

	ReportView create(String workspace, String actor, ReportRequest request) {
		Checked checked = check(workspace, request);
		UUID id = UUID.randomUUID();
		try {
			this.jdbc.sql("""
					insert into profile.analytics_report (report_id, workspace_id, name, kind, parameters, request,
					    last_days, anchor, format, cron, recipients, enabled, created_by, next_run_at)
					values (:id, :ws, :name, :kind, cast(:parameters as jsonb), cast(:request as jsonb), :lastDays,
					    :anchor, :format, :cron, cast(:recipients as text[]), :enabled, :actor, :next)""")
				.param("id", id)
				.param("ws", workspace)
				.params(checked.columns())
				.param("actor", actor)
				.param("next", checked.next())
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw duplicate(checked.name());
		}
		logger.info("Workspace {}: report {} created", workspace, id);
		return get(workspace, id).orElseThrow();
	}

	Optional<ReportView> update(String workspace, UUID id, ReportRequest request) {
		Checked checked = check(workspace, request);
		int updated;
		try {
			updated = this.jdbc
				.sql("""
						update profile.analytics_report set name = :name, kind = :kind, parameters = cast(:parameters as jsonb),
						       request = cast(:request as jsonb), last_days = :lastDays, anchor = :anchor, format = :format,
						       cron = :cron, recipients = cast(:recipients as text[]), enabled = :enabled,
						       next_run_at = :next, updated_at = now()
						 where workspace_id = :ws and report_id = :id""")
				.param("id", id)
				.param("ws", workspace)
				.params(checked.columns())
				.param("next", checked.next())
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw duplicate(checked.name());
		}
		return (updated == 0) ? Optional.empty() : get(workspace, id);
	}

	boolean delete(String workspace, UUID id) {
		return this.jdbc.sql("delete from profile.analytics_report where workspace_id = :ws and report_id = :id")
			.param("ws", workspace)
			.param("id", id)
			.update() > 0;
	}

	List<ReportView> list(String workspace) {
		return this.jdbc.sql("select * from profile.analytics_report where workspace_id = :ws order by name")
			.param("ws", workspace)
			.query((row, n) -> view(row))
			.list();
	}

	Optional<ReportView> get(String workspace, UUID id) {
		return this.jdbc.sql("select * from profile.analytics_report where workspace_id = :ws and report_id = :id")
			.param("ws", workspace)
			.param("id", id)
			.query((row, n) -> view(row))
			.optional();
	}

	List<Map<String, Object>> deliveries(String workspace, UUID id, int limit) {
		return this.jdbc.sql("""
				select * from profile.analytics_report_delivery where workspace_id = :ws and report_id = :id
				 order by started_at desc limit :limit""")
			.param("ws", workspace)
			.param("id", id)
			.param("limit", limit)
			.query((row, n) -> {
				Map<String, Object> delivery = new LinkedHashMap<>();
				delivery.put("deliveryId", row.getObject("delivery_id", UUID.class));
				delivery.put("startedAt", row.getTimestamp("started_at").toInstant());
				delivery.put("finishedAt", row.getTimestamp("finished_at").toInstant());
				delivery.put("trigger", row.getString("trigger"));
				delivery.put("status", row.getString("status"));
				delivery.put("recipients", row.getInt("recipients"));
				delivery.put("bytes", row.getObject("bytes"));
				delivery.put("rangeFrom", instant(row.getTimestamp("range_from")));
				delivery.put("rangeTo", instant(row.getTimestamp("range_to")));
				delivery.put("error", row.getString("error"));
				return delivery;
			})
			.list();
	}

	/** The report rendered now for its range, without sending it. */
	AnalyticsRunner.Answer render(String workspace, ReportView report) {
		return this.runner.run(workspace, query(report), range(workspace, report.lastDays(), report.anchor()));
	}

	/**
	 * Renders and sends the report now; the delivery is logged either way.
	 * @return the delivery's log entry
	 */
	Map<String, Object> send(String workspace, ReportView report, String trigger) {
		Instant started = this.clock.instant();
		DateRange range = null;
		Integer bytes = null;
		String error = null;
		try {
			range = range(workspace, report.lastDays(), report.anchor());
			AnalyticsRunner.Answer answer = this.runner.run(workspace, query(report), range);
			boolean pdf = "pdf".equals(report.format());
			byte[] content = pdf ? answer.pdf()
					: answer.result().table().csv().getBytes(java.nio.charset.StandardCharsets.UTF_8);
			bytes = content.length;
			this.mailer.send(report.recipients(), "Lodestar report: " + report.name(),
					report.name() + "\n" + String.join("\n", answer.lines()) + "\n\nSent by Lodestar ("
							+ ("schedule".equals(trigger) ? "scheduled: " + report.cron() + " UTC" : "sent on request")
							+ ").",
					answer.name() + (pdf ? ".pdf" : ".csv"), pdf ? "application/pdf" : "text/csv", content);
		}
		catch (ReportMailer.ReportDeliveryException ex) {
			error = ex.getMessage();
		}
		catch (ErrorResponseException ex) {
			error = (ex.getBody().getDetail() != null) ? ex.getBody().getDetail() : ex.getMessage();
		}
		catch (RuntimeException ex) {
			logger.warn("Workspace {}: report {} failed", workspace, report.reportId(), ex);
			error = "the report could not be rendered (" + ex.getClass().getSimpleName() + ")";
		}
		UUID delivery = UUID.randomUUID();
		this.jdbc
			.sql("""
					insert into profile.analytics_report_delivery (delivery_id, report_id, workspace_id, started_at,
					    finished_at, trigger, status, recipients, bytes, range_from, range_to, error)
					values (:id, :report, :ws, :started, :finished, :trigger, :status, :recipients, :bytes, :from, :to, :error)""")
			.param("id", delivery)
			.param("report", report.reportId())
			.param("ws", workspace)
			.param("started", Timestamp.from(started))
			.param("finished", Timestamp.from(this.clock.instant()))
			.param("trigger", trigger)
			.param("status", (error == null) ? "sent" : "failed")
			.param("recipients", report.recipients().size())
			.param("bytes", bytes)
			.param("from", (range != null) ? range.fromTimestamp() : null)
			.param("to", (range != null) ? range.toTimestamp() : null)
			.param("error", (error != null && error.length() > 1000) ? error.substring(0, 1000) : error)
			.update();
		logger.info("Workspace {}: report {} delivery {} {}", workspace, report.reportId(), delivery,
				(error == null) ? "sent" : "failed");
		return deliveries(workspace, report.reportId(), 1).get(0);
	}

	/** Sends every due report once; another instance never sends the same run. */
	@Scheduled(fixedDelayString = "${lodestar.profile.reports.poll-interval:30s}", initialDelayString = "PT10S")
	void sendDue() {
		Instant now = this.clock.instant();
		List<Object[]> due = this.jdbc.sql("""
				select workspace_id, report_id, next_run_at, cron from profile.analytics_report
				 where enabled and next_run_at <= :now order by next_run_at limit 50""")
			.param("now", Timestamp.from(now))
			.query((row,
					n) -> new Object[] { row.getString("workspace_id"), row.getObject("report_id", UUID.class),
							row.getTimestamp("next_run_at"), row.getString("cron") })
			.list();
		for (Object[] report : due) {
			String workspace = (String) report[0];
			UUID id = (UUID) report[1];
			Instant next = next((String) report[3], now);
			int claimed = this.jdbc.sql("""
					update profile.analytics_report set next_run_at = :next
					 where report_id = :id and next_run_at = :due""")
				.param("next", Timestamp.from(next))
				.param("id", id)
				.param("due", report[2])
				.update();
			if (claimed == 1) {
				get(workspace, id).ifPresent((view) -> send(workspace, view, "schedule"));
			}
		}
	}

	/** The range a report covers when it runs now. */
	DateRange range(String workspace, int lastDays, String anchor) {
		Instant end;
		if ("data".equals(anchor)) {
			Timestamp last = this.jdbc.sql("select max(last_seen_at) from profile.profile where workspace_id = :ws")
				.param("ws", workspace)
				.query(Timestamp.class)
				.optional()
				.orElse(null);
			LocalDate day = ((last != null) ? last.toInstant() : this.clock.instant()).atZone(ZoneOffset.UTC)
				.toLocalDate();
			end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		else {
			end = LocalDate.now(this.clock).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		return new DateRange(end.minus(Duration.ofDays(lastDays)), end);
	}

	private AnalyticsQuery query(ReportView report) {
		FunnelRequest funnel = null;
		PathRequest paths = null;
		if (report.request() != null && !report.request().isNull()) {
			if ("funnel".equals(report.kind())) {
				funnel = this.json.treeToValue(report.request(), FunnelRequest.class);
			}
			else if ("paths".equals(report.kind())) {
				paths = this.json.treeToValue(report.request(), PathRequest.class);
			}
		}
		return new AnalyticsQuery(report.kind(), report.parameters(), funnel, paths);
	}

	/**
	 * Checks a report (rendering it once for its range, so that a bad question is a 400
	 * now and not a failed delivery later).
	 */
	private Checked check(String workspace, ReportRequest request) {
		if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
			throw Invalid.at("/name", "name is 1-200 characters");
		}
		if (request.kind() == null || !AnalyticsQuery.KINDS.contains(request.kind())) {
			throw Invalid.at("/kind", "kind is one of " + String.join(", ", AnalyticsQuery.KINDS));
		}
		int lastDays = (request.lastDays() != null) ? request.lastDays() : 7;
		if (lastDays < 1 || lastDays > 3660) {
			throw Invalid.at("/lastDays", "lastDays is 1-3660");
		}
		String anchor = (request.anchor() != null) ? request.anchor() : "today";
		if (!List.of("today", "data").contains(anchor)) {
			throw Invalid.at("/anchor", "anchor is today or data");
		}
		String format = (request.format() != null) ? request.format() : "pdf";
		if (!List.of("pdf", "csv").contains(format)) {
			throw Invalid.at("/format", "format is pdf or csv");
		}
		if (request.cron() == null || !CronExpression.isValidExpression(request.cron())) {
			throw Invalid.at("/cron",
					"cron is a Spring cron expression with seconds first, in UTC, e.g. '0 0 8 * * MON'");
		}
		List<String> recipients = (request.recipients() != null) ? request.recipients() : List.of();
		if (recipients.isEmpty() || recipients.size() > 20) {
			throw Invalid.at("/recipients", "recipients are 1-20 e-mail addresses");
		}
		for (int i = 0; i < recipients.size(); i++) {
			if (recipients.get(i) == null || !EMAIL.matcher(recipients.get(i)).matches()) {
				throw Invalid.at("/recipients/" + i, "not an e-mail address");
			}
		}
		boolean questionNeedsBody = List.of("funnel", "paths").contains(request.kind());
		JsonNode body = request.request();
		if (questionNeedsBody && (body == null || !body.isObject())) {
			throw Invalid.at("/request", "a " + request.kind() + " report needs its question as request");
		}
		if (!questionNeedsBody && body != null && !body.isNull()) {
			throw Invalid.at("/request", "only funnel and paths reports take a request");
		}
		Map<String, String> parameters = (request.parameters() != null) ? request.parameters() : Map.of();
		ReportView draft = new ReportView(null, request.name(), request.kind(), parameters,
				questionNeedsBody ? body : null, lastDays, anchor, format, request.cron(), recipients, true, null, null,
				null, null);
		AnalyticsQuery query;
		try {
			query = query(draft);
		}
		catch (RuntimeException ex) {
			throw Invalid.at("/request", "the request is not a " + request.kind() + " question");
		}
		this.runner.run(workspace, query, range(workspace, lastDays, anchor));
		boolean enabled = request.enabled() == null || request.enabled();
		Map<String, Object> columns = new LinkedHashMap<>();
		columns.put("name", request.name());
		columns.put("kind", request.kind());
		columns.put("parameters", this.json.writeValueAsString(parameters));
		columns.put("request", questionNeedsBody ? this.json.writeValueAsString(body) : null);
		columns.put("lastDays", lastDays);
		columns.put("anchor", anchor);
		columns.put("format", format);
		columns.put("cron", request.cron());
		columns.put("recipients",
				"{" + String.join(",", recipients.stream().map(ReportService::arrayItem).toList()) + "}");
		columns.put("enabled", enabled);
		Timestamp next = enabled ? Timestamp.from(next(request.cron(), this.clock.instant())) : null;
		return new Checked(request.name(), columns, next);
	}

	private record Checked(String name, Map<String, Object> columns, Timestamp next) {
	}

	private static String arrayItem(String value) {
		return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
	}

	private static Instant next(String cron, Instant after) {
		ZonedDateTime next = CronExpression.parse(cron).next(after.atZone(ZoneOffset.UTC));
		return (next != null) ? next.toInstant() : after.plus(Duration.ofDays(36500));
	}

	private static ErrorResponseException duplicate(String name) {
		return new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "report-name-taken",
				"Report name taken", "the workspace has a report named '" + name + "' already"), null);
	}

	private ReportView view(ResultSet row) throws SQLException {
		Array recipients = row.getArray("recipients");
		String request = row.getString("request");
		Timestamp next = row.getTimestamp("next_run_at");
		return new ReportView(row.getObject("report_id", UUID.class), row.getString("name"), row.getString("kind"),
				this.json.readValue(row.getString("parameters"), new TypeReference<Map<String, String>>() {
				}), (request != null) ? this.json.readTree(request) : null, row.getInt("last_days"),
				row.getString("anchor"), row.getString("format"), row.getString("cron"),
				new ArrayList<>(Arrays.asList((String[]) recipients.getArray())), row.getBoolean("enabled"),
				row.getString("created_by"), row.getTimestamp("created_at").toInstant(),
				row.getTimestamp("updated_at").toInstant(), instant(next));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
