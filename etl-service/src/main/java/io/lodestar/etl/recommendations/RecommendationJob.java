package io.lodestar.etl.recommendations;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobDataException;
import io.lodestar.etl.jobs.JobParameter;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobResult;
import io.lodestar.etl.lake.CurrentProfiles;
import io.lodestar.etl.lake.LakeTable;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The {@code recommendations} job: a workspace's interactions from the lake (or the
 * timeline), ALS trained and evaluated on a time-based hold-out against popularity and
 * item-kNN, refitted on everything, and written as a {@code candidate} model version to
 * recommender-service's tables (docs/adr/0021-recommendation-training.md). A date range
 * trains on the events of those days only.
 */
@Component
class RecommendationJob implements BatchJob {

	static final String NAME = "recommendations";

	private final SparkSession spark;

	private final NamedParameterJdbcTemplate jdbc;

	private final RecommendationProperties properties;

	private final ModelWriter writer;

	private final CurrentProfiles currentProfiles;

	RecommendationJob(SparkSession spark, NamedParameterJdbcTemplate jdbc, RecommendationProperties properties,
			ModelWriter writer, CurrentProfiles currentProfiles) {
		this.currentProfiles = currentProfiles;
		this.spark = spark;
		this.jdbc = jdbc;
		this.properties = properties;
		this.writer = writer;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "ALS recommendations (implicit feedback) evaluated against popularity and item-kNN, "
				+ "written as a candidate model version for recommender-service";
	}

	@Override
	public boolean supportsDateRange() {
		return true;
	}

	@Override
	public List<JobParameter> parameters() {
		return List.of(new JobParameter("rank", JobParameter.Type.INTEGER, "ALS latent factors"),
				new JobParameter("regParam", JobParameter.Type.NUMBER, "ALS L2 regularisation"),
				new JobParameter("alpha", JobParameter.Type.NUMBER, "ALS confidence scale"),
				new JobParameter("maxIter", JobParameter.Type.INTEGER, "ALS iterations"),
				new JobParameter("grid", JobParameter.Type.BOOLEAN,
						"try the configured grid on a validation split and keep the best"),
				new JobParameter("halfLifeDays", JobParameter.Type.NUMBER, "time decay half-life in days (0: none)"),
				new JobParameter("viewWeight", JobParameter.Type.NUMBER, "weight of a Product Viewed"),
				new JobParameter("cartWeight", JobParameter.Type.NUMBER, "weight of a Product Added"),
				new JobParameter("purchaseWeight", JobParameter.Type.NUMBER, "weight of a purchased product"),
				new JobParameter("negativeWeight", JobParameter.Type.NUMBER,
						"weight of a shown-and-ignored recommendation"));
	}

	@Override
	public void validate(JobRequest request) {
		Map<String, Object> p = request.parameters();
		range(p, "rank", 1, 500);
		range(p, "maxIter", 1, 100);
		for (String name : List.of("regParam", "alpha", "halfLifeDays", "viewWeight", "cartWeight", "purchaseWeight",
				"negativeWeight")) {
			range(p, name, 0, 1e6);
		}
	}

	private static void range(Map<String, Object> parameters, String name, double min, double max) {
		Object value = parameters.get(name);
		if (value != null && (((Number) value).doubleValue() < min || ((Number) value).doubleValue() > max)) {
			throw new IllegalArgumentException("parameter '" + name + "' must be between " + (long) min + " and "
					+ ((max >= 1e6) ? "1000000" : String.valueOf((long) max)));
		}
	}

	/**
	 * The settings of one run: configuration, overridden by the run's parameters.
	 */
	RecommendationTrainer.Settings settings(JobContext context) {
		RecommendationProperties p = this.properties;
		RecommendationProperties.Weights weights = new RecommendationProperties.Weights(
				context.doubleParameter("viewWeight", p.weights().view()),
				context.doubleParameter("cartWeight", p.weights().cart()),
				context.doubleParameter("purchaseWeight", p.weights().purchase()),
				context.doubleParameter("negativeWeight", p.weights().negative()));
		Duration halfLife = context.parameters().containsKey("halfLifeDays")
				? Duration.ofSeconds((long) (context.doubleParameter("halfLifeDays", 0) * 86400)) : p.halfLife();
		AlsFit.Params als = new AlsFit.Params(context.intParameter("rank", p.als().rank()),
				context.doubleParameter("regParam", p.als().regParam()),
				context.doubleParameter("alpha", p.als().alpha()), context.intParameter("maxIter", p.als().maxIter()),
				p.als().seed());
		return new RecommendationTrainer.Settings(weights, halfLife, p.negativeWindow(), p.holdout(), p.k(), als,
				context.booleanParameter("grid", p.grid().enabled()), p.grid().ranks(), p.grid().regParams(),
				p.grid().alphas(), p.purchaseEvents(), p.impressionListId(), p.knnNeighbours(), p.maxTestUsers());
	}

	@Override
	public JobResult run(JobContext context) {
		long started = System.nanoTime();
		RecommendationTrainer.Settings settings = settings(context);
		context.progress(0.02, "reading events from the " + this.properties.source());
		Instant from = context.from().map((day) -> day.atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(null);
		Instant end = context.to().map((day) -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).orElse(null);
		Dataset<Row> events = events(context.workspace(), from, end).cache();
		try {
			long read = events.count();
			if (read == 0) {
				throw new JobDataException("no events to train on in this workspace" + range(context)
						+ ": recommendations need Product Viewed, Product Added or purchase events with product ids");
			}
			RecommendationTrainer.Trained trained = RecommendationTrainer.train(this.spark, events, settings, end,
					context::progress);
			context.progress(0.9, "writing the model version");
			List<Row> catalogue = Signals.catalogue(events).collectAsList();
			Map<String, Object> params = params(settings, trained, context);
			long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
			ModelWriter.Written written = this.writer.write(context.runId(), context.workspace(), trained, params,
					catalogue, durationMs);
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("versionId", context.runId());
			summary.put("status", "candidate");
			summary.put("cutoff", trained.evaluation().cutoff());
			summary.put("trainedUntil", trained.end());
			summary.put("interactions", trained.data().interactions);
			summary.put("users", written.users());
			summary.put("items", written.items());
			summary.put("catalogueItems", written.catalogue());
			summary.put("params", params);
			summary.put("metrics", trained.evaluation().metrics());
			return new JobResult(read, written.users() + written.items() + written.catalogue() + 1, summary);
		}
		finally {
			events.unpersist();
		}
	}

	private static String range(JobContext context) {
		if (context.from().isEmpty() && context.to().isEmpty()) {
			return "";
		}
		return " between " + context.from().map(LocalDate::toString).orElse("the start") + " and "
				+ context.to().map(LocalDate::toString).orElse("now");
	}

	private Map<String, Object> params(RecommendationTrainer.Settings settings, RecommendationTrainer.Trained trained,
			JobContext context) {
		AlsFit.Params als = trained.evaluation().chosen();
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("rank", als.rank());
		params.put("regParam", als.regParam());
		params.put("alpha", als.alpha());
		params.put("maxIter", als.maxIter());
		params.put("seed", als.seed());
		params.put("implicitPrefs", true);
		Map<String, Object> weights = new LinkedHashMap<>();
		weights.put("view", settings.weights().view());
		weights.put("cart", settings.weights().cart());
		weights.put("purchase", settings.weights().purchase());
		weights.put("purchaseQuantity", "1 + ln(quantity)");
		weights.put("negative", settings.weights().negative());
		params.put("weights", weights);
		params.put("halfLifeDays", settings.halfLife().toSeconds() / 86400.0);
		params.put("negativeWindowDays", settings.negativeWindow().toSeconds() / 86400.0);
		params.put("holdoutDays", settings.holdout().toSeconds() / 86400.0);
		params.put("k", settings.k());
		params.put("knnNeighbours", settings.knnNeighbours());
		params.put("purchaseEvents", settings.purchaseEvents());
		params.put("source", this.properties.source());
		context.from().ifPresent((day) -> params.put("from", day.toString()));
		context.to().ifPresent((day) -> params.put("to", day.toString()));
		if (!trained.evaluation().grid().isEmpty()) {
			params.put("grid", trained.evaluation().grid());
		}
		return params;
	}

	private List<String> eventNames() {
		List<String> names = new ArrayList<>(
				List.of("Product Viewed", "Product Added", "Product List Viewed", "Product Clicked"));
		names.addAll(this.properties.purchaseEvents());
		return names;
	}

	/**
	 * The workspace's track events that can carry a signal, as rows of
	 * {@link Signals#EVENTS}, on the profiles they belong to now (merges followed).
	 */
	Dataset<Row> events(String workspace, Instant from, Instant end) {
		if ("timeline".equals(this.properties.source())) {
			return timeline(workspace, from, end);
		}
		Column filter = col("workspace_id").equalTo(workspace)
			.and(col("type").equalTo("track"))
			.and(col("name").isin(eventNames().toArray()))
			.and(col("profile_id").isNotNull());
		if (from != null) {
			filter = filter.and(col("occurred_at").geq(lit(java.sql.Timestamp.from(from))));
		}
		if (end != null) {
			filter = filter.and(col("occurred_at").lt(lit(java.sql.Timestamp.from(end))));
		}
		Dataset<Row> events = this.spark.table(LakeTable.EVENTS)
			.where(filter)
			.select("profile_id", "name", "occurred_at", "properties");
		return this.currentProfiles.follow(events, workspace);
	}

	private Dataset<Row> timeline(String workspace, Instant from, Instant end) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("workspace", workspace).addValue("names",
				eventNames());
		String range = "";
		if (from != null) {
			range += " and occurred_at >= :from";
			parameters.addValue("from", from.atOffset(ZoneOffset.UTC));
		}
		if (end != null) {
			range += " and occurred_at < :end";
			parameters.addValue("end", end.atOffset(ZoneOffset.UTC));
		}
		List<Row> rows = this.jdbc.query("""
				select profile_id::text, event_name, occurred_at, properties::text from profile.profile_event
				 where workspace_id = :workspace and event_type = 'track' and event_name in (:names)""" + range,
				parameters, (row, n) -> RowFactory.create(row.getString(1), row.getString(2), row.getTimestamp(3),
						row.getString(4)));
		return this.spark.createDataFrame(rows, Signals.EVENTS);
	}

}
