package io.lodestar.etl.marts;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobParameter;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobResult;
import io.lodestar.etl.lake.CurrentProfiles;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

/**
 * Job {@code marts}: for a range of days (a backfill's {@code from}/{@code to}, else the
 * last {@code default-days} up to today), the workspace's lake events — on the profiles
 * they belong to now — become the per-customer daily aggregates, the product, category
 * and brand sales marts, the campaign marts (ad spend next to last-touch attribution) and
 * the kiosk zone marts, replacing those days' rows in one transaction
 * ({@link MartWriter}). What could not be used goes to {@code etl.mart_rejected_row} with
 * the reason.
 */
@Component
class MartsJob implements BatchJob {

	private static final Logger logger = LoggerFactory.getLogger(MartsJob.class);

	static final String NAME = "marts";

	private final SparkSession spark;

	private final NamedParameterJdbcTemplate jdbc;

	private final CurrentProfiles profiles;

	private final MartWriter writer;

	private final MartsProperties properties;

	private final Traits traits;

	private final Duration sessionTimeout;

	MartsJob(SparkSession spark, NamedParameterJdbcTemplate jdbc, CurrentProfiles profiles, MartWriter writer,
			MartsProperties properties, TraitsProperties traits) {
		this.spark = spark;
		this.jdbc = jdbc;
		this.profiles = profiles;
		this.writer = writer;
		this.properties = properties;
		this.traits = traits.traits();
		this.sessionTimeout = (traits.sessionTimeout() != null) ? traits.sessionTimeout() : Duration.ofMinutes(30);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Daily per-customer aggregates, product/category/brand sales, campaign and kiosk zone marts "
				+ "from the lake, a range of days at a time (a rerun replaces its days)";
	}

	@Override
	public boolean supportsDateRange() {
		return true;
	}

	@Override
	public List<JobParameter> parameters() {
		return List.of(new JobParameter("lookbackDays", JobParameter.Type.INTEGER,
				"how long before a purchase a campaign touch still gets it (1-90, default "
						+ this.properties.lookbackDays() + ")"));
	}

	@Override
	public void validate(JobRequest request) {
		Object lookback = request.parameters().get("lookbackDays");
		if (lookback != null && (((Number) lookback).intValue() < 1 || ((Number) lookback).intValue() > 90)) {
			throw new IllegalArgumentException("parameter 'lookbackDays' must be between 1 and 90");
		}
	}

	/**
	 * @return the run's first and last day
	 */
	LocalDate[] range(JobContext context) {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate to = context.to().orElseGet(() -> context.from().filter((from) -> from.isAfter(today)).orElse(today));
		LocalDate from = context.from().orElse(to.minusDays(this.properties.defaultDays() - 1));
		return new LocalDate[] { from, to };
	}

	@Override
	public JobResult run(JobContext context) throws Exception {
		long started = System.nanoTime();
		String workspace = context.workspace();
		LocalDate[] range = range(context);
		LocalDate fromDay = range[0];
		LocalDate toDay = range[1];
		int lookbackDays = context.intParameter("lookbackDays", this.properties.lookbackDays());
		Timestamp from = Timestamp.from(fromDay.atStartOfDay(ZoneOffset.UTC).toInstant());
		Timestamp end = Timestamp.from(toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
		Timestamp sessionsFrom = Timestamp.from(from.toInstant().minus(this.sessionTimeout));
		context.progress(0.05, "reading events " + fromDay + " to " + toDay + " from the lake");

		Dataset<Row> lake = this.spark.table(LakeTable.EVENTS).where(col("workspace_id").equalTo(workspace));
		Dataset<Row> withLead = this.profiles
			.follow(lake.where(col("occurred_at").geq(lit(sessionsFrom)).and(col("occurred_at").lt(lit(end))))
				.select("event_id", "profile_id", "type", "name", "occurred_at", "properties"), workspace)
			.persist();
		try {
			Dataset<Row> events = withLead.where(col("occurred_at").geq(lit(from)));
			Dataset<Row> purchases = Marts.purchases(events, this.traits).persist();
			try {
				Map<String, Long> milliseconds = new LinkedHashMap<>();
				Map<LocalDate, Long> days = new TreeMap<>();
				for (LocalDate day = fromDay; !day.isAfter(toDay); day = day.plusDays(1)) {
					days.put(day, 0L);
				}
				long read = 0;
				for (Row row : events.groupBy(Marts.day("occurred_at")).agg(count(lit(1))).collectAsList()) {
					days.put(row.getDate(0).toLocalDate(), row.getLong(1));
					read += row.getLong(1);
				}
				milliseconds.put("read", Duration.ofNanos(System.nanoTime() - started).toMillis());
				context.progress(0.2, read + " events; computing the marts");
				// in profile order: PostgreSQL adds to its indexes where it added last,
				// not all over them (about half the time of unordered rows; ADR 0036)
				Dataset<Row> customerDays = known(Marts.customerDays(withLead, from, this.sessionTimeout, purchases),
						workspace)
					.sortWithinPartitions("profile_id", "day");
				Dataset<Row> campaigns = Marts
					.campaigns(purchases, firsts(lake, workspace, from, end),
							touches(workspace, from, end, lookbackDays), spend(workspace, fromDay, toDay), lookbackDays)
					.withColumn("lookback_days", lit(lookbackDays));
				Dataset<Row> kiosk = Marts.kiosk(events, this.properties.kiosk())
					.withColumn("zone", expr("substring(zone, 1, 255)"))
					.withColumn("screen", expr("substring(screen, 1, 255)"));
				Dataset<Row> rejected = Marts.purchaseRejected(purchases)
					.unionByName(Marts.profileRejected(events))
					.unionByName(Marts.kioskRejected(events, this.properties.kiosk()));
				List<MartWriter.Mart> marts = List.of(
						new MartWriter.Mart("profile.mart_sales_product_day",
								List.of("day", "product_id", "name", "orders", "units", "revenue", "customers"),
								Marts.sales(purchases, "product")),
						new MartWriter.Mart("profile.mart_sales_category_day",
								List.of("day", "category", "orders", "units", "revenue", "customers"),
								Marts.sales(purchases, "category")),
						new MartWriter.Mart("profile.mart_sales_brand_day",
								List.of("day", "brand", "orders", "units", "revenue", "customers"),
								Marts.sales(purchases, "brand")),
						new MartWriter.Mart("profile.mart_campaign_day",
								List.of("day", "channel", "campaign", "campaign_name", "currency", "spend",
										"impressions", "clicks", "platform_conversions", "platform_value", "orders",
										"revenue", "customers_acquired", "lookback_days"),
								campaigns),
						new MartWriter.Mart("profile.mart_kiosk_day", List.of("day", "zone", "screen", "impressions",
								"clicks", "visits", "dwell_seconds", "visitors"), kiosk));
				context.progress(0.4, "writing the marts of " + days.size() + " days");
				Map<String, Long> written = this.writer.replace(workspace, context.runId(), fromDay, toDay,
						new MartWriter.Mart("profile.mart_customer_day",
								List.of("profile_id", "day", "events", "tracks", "pages", "screens", "identifies",
										"sessions", "orders", "revenue", "units", "first_event_at", "last_event_at"),
								customerDays),
						marts, rejected, days, milliseconds);
				long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
				logger.info("Workspace {}: marts run {} for {} to {}: {} events, rows {}, {} ms", workspace,
						context.runId(), fromDay, toDay, read, written, durationMs);
				Map<String, Object> summary = new LinkedHashMap<>();
				summary.put("from", fromDay.toString());
				summary.put("to", toDay.toString());
				summary.put("days", days.size());
				summary.put("events", read);
				summary.put("lookbackDays", lookbackDays);
				summary.putAll(written);
				summary.put("durationMs", durationMs);
				summary.put("tableMs", milliseconds);
				long out = written.entrySet()
					.stream()
					.filter((entry) -> !"customerDaysSkipped".equals(entry.getKey()))
					.mapToLong(Map.Entry::getValue)
					.sum();
				return new JobResult(read, out + days.size(), summary);
			}
			finally {
				purchases.unpersist();
			}
		}
		finally {
			withLead.unpersist();
		}
	}

	/**
	 * The customer days with a last column {@code known}: whether the profile still
	 * exists (an erased one's days are skipped and counted).
	 */
	private Dataset<Row> known(Dataset<Row> customerDays, String workspace) {
		List<Row> ids = this.jdbc.query("select profile_id::text from profile.profile where workspace_id = :workspace",
				new MapSqlParameterSource("workspace", workspace), (row, n) -> RowFactory.create(row.getString(1)));
		Dataset<Row> profiles = this.spark.createDataFrame(ids, new StructType().add("known_id", DataTypes.StringType))
			.withColumn("known", lit(true));
		return customerDays.join(broadcast(profiles), col("profile_id").equalTo(col("known_id")), "left")
			.drop("known_id")
			.withColumn("known", coalesce(col("known"), lit(false)));
	}

	/** Each buyer's first purchase ever, when it falls in the range: profile_id, at. */
	private Dataset<Row> firsts(Dataset<Row> lake, String workspace, Timestamp from, Timestamp end) {
		Dataset<Row> purchases = lake
			.where(col("type").equalTo("track")
				.and(col("name").isin(this.traits.purchaseEvents().toArray()))
				.and(col("occurred_at").lt(lit(end))))
			.select("profile_id", "occurred_at");
		return this.profiles.follow(purchases, workspace)
			.where(col("profile_id").isNotNull())
			.groupBy("profile_id")
			.agg(min("occurred_at").as("at"))
			.where(col("at").geq(lit(from)));
	}

	/** The touches that can win a purchase of the range. */
	private Dataset<Row> touches(String workspace, Timestamp from, Timestamp end, int lookbackDays) {
		List<Row> rows = this.jdbc.query("""
				select profile_id::text, occurred_at, source, campaign, click_id_kind from profile.campaign_touch
				 where workspace_id = :workspace and occurred_at > :since and occurred_at < :end""",
				new MapSqlParameterSource("workspace", workspace)
					.addValue("since", Timestamp.from(from.toInstant().minus(Duration.ofDays(lookbackDays))))
					.addValue("end", end),
				(row, n) -> RowFactory.create(row.getString(1), row.getTimestamp(2), row.getString(3), row.getString(4),
						row.getString(5)));
		return this.spark.createDataFrame(rows, Marts.TOUCHES);
	}

	/**
	 * The ad platforms' numbers of the range per day, channel and campaign
	 * (profile-service's {@code CampaignService.AD_CHANNEL} and campaign key).
	 */
	private Dataset<Row> spend(String workspace, LocalDate from, LocalDate to) {
		List<Row> rows = new ArrayList<>(this.jdbc.query(
				"""
						select d.day,
						       case when lower(d.source) in ('google-ads', 'google_ads', 'googleads', 'google') then 'google-ads'
						            when lower(d.source) in ('meta', 'facebook') then 'meta'
						            else lower(d.source) end as channel,
						       lower(coalesce(d.campaign_name, d.campaign_id)) as campaign,
						       max(coalesce(d.campaign_name, d.campaign_id)) as campaign_name,
						       case when count(distinct d.currency) > 1 then '(mixed)' else min(d.currency) end as currency,
						       sum(d.spend) as spend, sum(d.impressions) as impressions, sum(d.clicks) as clicks,
						       sum(d.conversions) as conversions, sum(d.conversion_value) as conversion_value
						  from profile.campaign_day d
						 where d.workspace_id = :workspace and d.day between :from and :to
						 group by 1, 2, 3""",
				new MapSqlParameterSource("workspace", workspace).addValue("from", from).addValue("to", to),
				(row, n) -> RowFactory.create(row.getDate(1), row.getString(2), row.getString(3), row.getString(4),
						row.getString(5), row.getBigDecimal(6), row.getLong(7), row.getLong(8), row.getBigDecimal(9),
						row.getBigDecimal(10))));
		return this.spark.createDataFrame(rows, Marts.SPEND);
	}

}
