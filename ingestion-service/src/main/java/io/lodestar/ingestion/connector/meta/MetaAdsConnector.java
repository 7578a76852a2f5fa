package io.lodestar.ingestion.connector.meta;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorContext.DateRange;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;

/**
 * {@code meta-ads}: campaign-day insights of one ad account. Each run re-reads the
 * attribution window before the watermark (default 28 days: Meta restates conversions
 * that long), so the same campaign days come again with the same record ids and consumers
 * upsert them. Ranges longer than {@code asyncAfterDays} go through an async report run.
 * Settings: {@code accountId} (digits, {@code act_} optional), {@code startDate},
 * {@code attributionWindowDays}, {@code timeZone} (the account's),
 * {@code asyncAfterDays}. Credentials: {@code accessToken}.
 */
@Component
public class MetaAdsConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "meta-ads";

	private final ConnectorProperties.Meta meta;

	private final Sleeper sleeper;

	MetaAdsConnector(ConnectorProperties properties, Sleeper sleeper) {
		this.meta = properties.meta();
		this.sleeper = sleeper;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "accountId", "(act_)?[0-9]{1,30}", "the ad account id, e.g. act_798085168510957");
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "attributionWindowDays", "integer>=0");
		settings.checkOptional(errors, "asyncAfterDays", "integer>=0");
		settings.checkOptional(errors, "timeZone", "zone");
		credentials.require(errors, "accessToken");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		LocalDate today = LocalDate.now(context.clock().withZone(context.settings().zone("timeZone", ZoneOffset.UTC)));
		// the first page of yesterday's insights: cheap, and it needs ads_read on the
		// account
		firstPageOnly(reader(context), context, today.minusDays(1), today);
	}

	private MetaInsightsPage firstPageOnly(MetaInsightsReader reader, ConnectorContext context, LocalDate since,
			LocalDate until) throws Exception {
		MetaInsightsPage[] first = new MetaInsightsPage[1];
		try {
			reader.readPages(reader.firstPage(account(context.settings()), context.credentials().get("accessToken"),
					since, until, 1), context.workspaceId(), context.connectorId(), context.retrier(), (page) -> {
						first[0] = page;
						throw new StopPaging();
					});
		}
		catch (StopPaging ex) {
			// one page is enough
		}
		return first[0];
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		ConnectorSettings settings = context.settings();
		int window = settings.integer("attributionWindowDays", 28);
		DateRange range = context.dateRange(window, window, settings.zone("timeZone", ZoneOffset.UTC));
		if (range.isEmpty()) {
			return;
		}
		MetaInsightsReader reader = reader(context);
		String account = account(settings);
		String token = context.credentials().get("accessToken");
		long days = ChronoUnit.DAYS.between(range.since(), range.until()) + 1;
		if (days > settings.integer("asyncAfterDays", 93)) {
			reader.readAsync(account, token, range.since(), range.until(), context.workspaceId(), context.connectorId(),
					context.retrier(), this.sleeper, Duration.ofSeconds(10), 360, (page) -> emit(page, sink));
		}
		else {
			reader.readPages(reader.firstPage(account, token, range.since(), range.until(), 500), context.workspaceId(),
					context.connectorId(), context.retrier(), (page) -> emit(page, sink));
		}
		sink.watermark(range.until().toString());
	}

	private static void emit(MetaInsightsPage page, RecordSink sink) {
		page.records().forEach(sink::record);
		sink.page();
	}

	private MetaInsightsReader reader(ConnectorContext context) {
		return new MetaInsightsReader(context.http(), context.json(), context.clock(), this.meta.baseUrl(),
				this.meta.apiVersion());
	}

	private static String account(ConnectorSettings settings) {
		String id = settings.requiredText("accountId");
		return id.startsWith("act_") ? id.substring(4) : id;
	}

	private static final class StopPaging extends RuntimeException {

		StopPaging() {
			super(null, null, false, false);
		}

	}

}
