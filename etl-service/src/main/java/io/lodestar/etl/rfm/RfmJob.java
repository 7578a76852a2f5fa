package io.lodestar.etl.rfm;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs RFM for one workspace: its purchases (Order Completed events with a revenue) from
 * the profile timeline, the model on Spark, and the results written in one transaction:
 * the run, every profile's scores and tier (replacing the previous run's), and the tier
 * history.
 */
@Service
public class RfmJob {

	private static final Logger logger = LoggerFactory.getLogger(RfmJob.class);

	private static final StructType PURCHASES = new StructType().add("profile_id", DataTypes.StringType)
		.add("occurred_at", DataTypes.TimestampType)
		.add("revenue", DataTypes.DoubleType);

	private final SparkSession spark;

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	RfmJob(SparkSession spark, NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, JsonMapper json) {
		this.spark = spark;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
	}

	/**
	 * @param workspace the workspace
	 * @param kMin fewest clusters tried
	 * @param kMax most clusters tried
	 * @param runId the run's id (the scheduler's run id, so both histories agree)
	 * @param progress told how far the run is (0-1, step)
	 * @return the run's summary
	 * @throws IllegalArgumentException when there are too few buyers for kMax clusters
	 */
	public Map<String, Object> run(String workspace, int kMin, int kMax, UUID runId,
			java.util.function.BiConsumer<Double, String> progress) {
		long started = System.nanoTime();
		progress.accept(0.05, "reading purchases");
		List<Row> rows = this.jdbc.query(
				"""
						select profile_id::text, occurred_at,
						       coalesce(profile.try_numeric(properties ->> 'revenue'), profile.try_numeric(properties ->> 'total'), 0)::float8
						  from profile.profile_event
						 where workspace_id = :workspace and event_type = 'track' and event_name = 'Order Completed'""",
				new MapSqlParameterSource("workspace", workspace),
				(row, n) -> RowFactory.create(row.getString(1), row.getTimestamp(2), row.getDouble(3)));
		Dataset<Row> purchases = this.spark.createDataFrame(rows, PURCHASES);
		progress.accept(0.2, "clustering " + rows.size() + " purchases");
		RfmResult result = RfmModel.fit(purchases, kMin, kMax, 42);
		Map<Integer, String> names = new LinkedHashMap<>();
		result.tiers().forEach((tier) -> names.put(tier.cluster(), tier.name()));
		List<Row> customers = result.customers().collectAsList();
		progress.accept(0.9, "writing " + customers.size() + " customers");
		long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
		Integer written = this.transactions.execute((status) -> {
			this.jdbc.update(
					"""
							insert into profile.rfm_run (run_id, workspace_id, customers, k, silhouette, silhouettes, tiers, duration_ms)
							values (:run, :workspace, :customers, :k, :silhouette, cast(:silhouettes as jsonb),
							        cast(:tiers as jsonb), :duration)""",
					new MapSqlParameterSource("run", runId).addValue("workspace", workspace)
						.addValue("customers", result.customerCount())
						.addValue("k", result.k())
						.addValue("silhouette", result.silhouette())
						.addValue("silhouettes", this.json.writeValueAsString(result.silhouettes()))
						.addValue("tiers", this.json.writeValueAsString(result.tiers()))
						.addValue("duration", durationMs));
			this.jdbc.update("delete from profile.profile_rfm where workspace_id = :workspace",
					new MapSqlParameterSource("workspace", workspace));
			List<MapSqlParameterSource> batch = new ArrayList<>(customers.size());
			for (Row customer : customers) {
				batch.add(new MapSqlParameterSource("workspace", workspace).addValue("run", runId)
					.addValue("profile", UUID.fromString(customer.getString(0)))
					.addValue("recency", customer.getInt(1))
					.addValue("frequency", (int) customer.getLong(2))
					.addValue("monetary", customer.getDouble(3))
					.addValue("r", customer.getInt(4))
					.addValue("f", customer.getInt(5))
					.addValue("m", customer.getInt(6))
					.addValue("tier", names.get(customer.getInt(7))));
			}
			MapSqlParameterSource[] parameters = batch.toArray(new MapSqlParameterSource[0]);
			// profiles erased or merged away since the read are skipped by the join
			int[] scored = this.jdbc.batchUpdate(
					"""
							insert into profile.profile_rfm (workspace_id, profile_id, run_id, recency_days, frequency, monetary,
							    r_score, f_score, m_score, tier)
							select :workspace, p.profile_id, :run, :recency, :frequency, :monetary, :r, :f, :m, :tier
							  from profile.profile p where p.workspace_id = :workspace and p.profile_id = :profile""",
					parameters);
			this.jdbc.batchUpdate("""
					insert into profile.profile_rfm_history (run_id, workspace_id, profile_id, tier)
					select :run, :workspace, p.profile_id, :tier
					  from profile.profile p where p.workspace_id = :workspace and p.profile_id = :profile""",
					parameters);
			return java.util.Arrays.stream(scored).map((n) -> Math.max(0, n)).sum();
		});
		logger.info("Workspace {}: RFM run {} on {} customers, k={}, silhouette {}, {} ms", workspace, runId,
				result.customerCount(), result.k(), String.format("%.3f", result.silhouette()), durationMs);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("runId", runId);
		summary.put("computedAt", new Timestamp(System.currentTimeMillis()).toInstant());
		summary.put("customers", result.customerCount());
		summary.put("purchases", rows.size());
		summary.put("profilesScored", written);
		summary.put("k", result.k());
		summary.put("silhouette", result.silhouette());
		summary.put("silhouettes", result.silhouettes());
		summary.put("tiers", result.tiers());
		summary.put("durationMs", durationMs);
		return summary;
	}

	/**
	 * The workspace's latest run: its k, silhouette and tiers.
	 */
	public java.util.Optional<Map<String, Object>> latest(String workspace) {
		return this.jdbc
			.query("""
					select run_id, computed_at, customers, k, silhouette, silhouettes::text as silhouettes, tiers::text as tiers
					  from profile.rfm_run where workspace_id = :workspace order by computed_at desc limit 1""",
					new MapSqlParameterSource("workspace", workspace), (row, n) -> {
						Map<String, Object> run = new LinkedHashMap<>();
						run.put("runId", row.getObject("run_id", UUID.class));
						run.put("computedAt", row.getTimestamp("computed_at").toInstant());
						run.put("customers", row.getLong("customers"));
						run.put("k", row.getInt("k"));
						run.put("silhouette", row.getDouble("silhouette"));
						run.put("silhouettes", this.json.readTree(row.getString("silhouettes")));
						run.put("tiers", this.json.readTree(row.getString("tiers")));
						return run;
					})
			.stream()
			.findFirst();
	}

	/**
	 * How many profiles moved from each tier to each other between the two latest runs.
	 */
	public List<Map<String, Object>> movement(String workspace) {
		return this.jdbc.queryForList("""
				with runs as (
				  select run_id, row_number() over (order by computed_at desc) as n
				    from profile.rfm_run where workspace_id = :workspace)
				select coalesce(b.tier, '(new)') as "from", a.tier as "to", count(*) as profiles
				  from profile.profile_rfm_history a
				  join runs ra on ra.run_id = a.run_id and ra.n = 1
				  left join profile.profile_rfm_history b on b.profile_id = a.profile_id
				       and b.run_id = (select run_id from runs where n = 2)
				 group by 1, 2 order by 3 desc""", new MapSqlParameterSource("workspace", workspace));
	}

}
