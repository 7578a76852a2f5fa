package io.lodestar.etl.identity;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobDataException;
import io.lodestar.etl.jobs.JobParameter;
import io.lodestar.etl.jobs.JobResult;
import io.lodestar.etl.lake.CurrentProfiles;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.streaming.ProfileWriteGate;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * Job {@code identity}: the full identity recompute. Reads every event of the workspace
 * from the lake, recomputes the identity graph in Spark ({@link IdentityRecompute}:
 * connected components, then the streaming rules per component in the order streaming
 * applied the events), and compares it with the profiles the streaming job built (each
 * lake event's profile, merges followed). Where the recompute puts events of several
 * profiles into one — a merge streaming missed — it merges them ({@link ProfileMerges},
 * reason {@code batch_recompute}, limits checked again); a profile whose events the
 * recompute splits is reported, not split. The summary says how closely the two agree
 * (pairs of events on one profile in both).
 */
@Component
class IdentityRecomputeJob implements BatchJob {

	private static final Logger log = LoggerFactory.getLogger(IdentityRecomputeJob.class);

	static final String NAME = "identity";

	private static final int MAX_ITERATIONS = 50;

	private final SparkSession spark;

	private final NamedParameterJdbcTemplate jdbc;

	private final DataSource connections;

	private final DataSourceProperties dataSource;

	private final IdentityRules rules;

	private final Traits traits;

	private final CurrentProfiles currentProfiles;

	private final ProfileWriteGate gate;

	IdentityRecomputeJob(SparkSession spark, NamedParameterJdbcTemplate jdbc, DataSource connections,
			DataSourceProperties dataSource, IdentityProperties properties, TraitsProperties traits,
			CurrentProfiles currentProfiles, ProfileWriteGate gate) {
		this.traits = traits.traits();
		this.currentProfiles = currentProfiles;
		this.gate = gate;
		this.spark = spark;
		this.jdbc = jdbc;
		this.connections = connections;
		this.dataSource = dataSource;
		this.rules = properties.rules();
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Recompute the identity graph from the lake (connected components, the streaming rules) "
				+ "and merge the profiles streaming left apart";
	}

	@Override
	public List<JobParameter> parameters() {
		return List
			.of(new JobParameter("dryRun", JobParameter.Type.BOOLEAN, "compare only, merge nothing (default false)"));
	}

	@Override
	public JobResult run(JobContext context) throws Exception {
		String workspace = context.workspace();
		boolean dryRun = context.booleanParameter("dryRun", false);
		context.progress(0.05, "reading identifiers from the lake");
		Dataset<Row> lake = this.spark.table(LakeTable.EVENTS).where(col("workspace_id").equalTo(workspace));
		Recomputed recomputed = recompute(workspace, lake, context);
		long events = recomputed.events();
		IdentityRecompute.Components components = recomputed.components();
		Dataset<Row> result = recomputed.result();
		Dataset<Row> clusters = result.where(col("record").equalTo("event"))
			.select(col("key").as("event_id"), col("cluster"));
		context.progress(0.7, "comparing with the profiles");
		Dataset<Row> current = this.currentProfiles.follow(lake.select(col("event_id"), col("profile_id")), workspace);
		Dataset<Row> both = clusters.join(current, "event_id").localCheckpoint();
		Comparison comparison = compare(both);
		List<List<UUID>> missed = missedMerges(both);
		long splits = both.groupBy("profile_id")
			.agg(countDistinct("cluster").as("clusters"))
			.where(col("clusters").gt(1))
			.count();
		int applied = 0;
		int refused = 0;
		if (!dryRun) {
			context.progress(0.85, "merging " + missed.size() + " groups of profiles");
			// merges write profiles: under the gate's shared side, as streaming
			int[] outcome = this.gate.shared(() -> {
				int[] sums = new int[2];
				for (List<UUID> group : missed) {
					int[] merged = mergeGroup(workspace, group);
					sums[0] += merged[0];
					sums[1] += merged[1];
				}
				return sums;
			});
			applied = outcome[0];
			refused = outcome[1];
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("events", events);
		summary.put("identifiers", components.labels().count());
		summary.put("components", components.labels().select("component").distinct().count());
		summary.put("iterations", components.iterations());
		summary.put("clusters", clusters.select("cluster").distinct().count());
		summary.put("profiles", both.select("profile_id").distinct().count());
		summary.put("sharedIdentifiers", result.where(col("record").equalTo("identity").and(col("shared"))).count());
		summary.put("pairsRecomputed", comparison.clusterPairs());
		summary.put("pairsStreaming", comparison.profilePairs());
		summary.put("pairsInBoth", comparison.bothPairs());
		summary.put("agreement", comparison.agreement());
		summary.put("missedMerges", missed.size());
		summary.put("mergesApplied", applied);
		summary.put("mergesRefused", refused);
		summary.put("splitsFound", splits);
		summary.put("dryRun", dryRun);
		log.info("Identity recompute of workspace {} (run {}): {}", workspace, context.runId(), summary);
		return new JobResult(events, applied, summary);
	}

	/**
	 * The identity graph recomputed from a workspace's lake events, replayed in the order
	 * streaming applied them.
	 * @param workspace the workspace
	 * @param lake its lake events
	 * @param context the run, for progress (may be null)
	 * @return the result rows ({@link IdentityRecompute#RESULT}) and the components
	 */
	Recomputed recompute(String workspace, Dataset<Row> lake, JobContext context) {
		Dataset<Row> eventNodes = IdentityRecompute.identifiers(lake, appliedOrder(workspace), this.rules)
			.localCheckpoint();
		long events = eventNodes.count();
		if (events == 0) {
			throw new JobDataException("no events in the lake for this workspace: nothing to resolve");
		}
		progress(context, 0.2, "connected components");
		IdentityRecompute.Components components = IdentityRecompute.components(eventNodes, MAX_ITERATIONS);
		progress(context, 0.5, "replaying the rules per component");
		Dataset<Row> result = IdentityRecompute.resolve(eventNodes, components.labels(), this.rules).localCheckpoint();
		return new Recomputed(events, components, result);
	}

	private static void progress(JobContext context, double fraction, String step) {
		if (context != null) {
			context.progress(fraction, step);
		}
	}

	/**
	 * The order streaming applied the workspace's events in ({@code etl.processed_event}
	 * and {@code etl.applied_chunk}), read by Spark's JDBC source.
	 */
	private Dataset<Row> appliedOrder(String workspace) {
		String query = """
				select p.event_id::text as order_event_id, c.seq as applied_seq, p.chunk_index as applied_index
				  from etl.processed_event p join etl.applied_chunk c on c.chunk_id = p.chunk_id
				 where p.workspace_id = '%s'""".formatted(workspace.replace("'", "''"));
		return this.spark.read()
			.format("jdbc")
			.option("url", this.dataSource.determineUrl())
			.option("user", this.dataSource.determineUsername())
			.option("password", this.dataSource.determinePassword())
			.option("driver", "org.postgresql.Driver")
			.option("query", query)
			.option("fetchsize", "10000")
			.load();
	}

	/**
	 * @param events events with an identifier
	 * @param components the connected components
	 * @param result rows of {@link IdentityRecompute#RESULT}
	 */
	record Recomputed(long events, IdentityRecompute.Components components, Dataset<Row> result) {
	}

	/**
	 * Pairs of events on one profile: in the recompute, in streaming, in both.
	 */
	static Comparison compare(Dataset<Row> both) {
		long clusterPairs = pairs(both.groupBy("cluster").agg(count(lit(1)).as("n")));
		long profilePairs = pairs(both.groupBy("profile_id").agg(count(lit(1)).as("n")));
		long bothPairs = pairs(both.groupBy("cluster", "profile_id").agg(count(lit(1)).as("n")));
		return new Comparison(clusterPairs, profilePairs, bothPairs);
	}

	private static long pairs(Dataset<Row> counts) {
		Row row = counts.agg(sum(col("n").multiply(col("n").minus(1)).divide(2)).cast(DataTypes.LongType)).first();
		return row.isNullAt(0) ? 0 : row.getLong(0);
	}

	/** Groups of streaming profiles whose events the recompute puts on one profile. */
	private static List<List<UUID>> missedMerges(Dataset<Row> both) {
		List<List<UUID>> groups = new ArrayList<>();
		for (Row row : both.groupBy("cluster")
			.agg(org.apache.spark.sql.functions.collect_set("profile_id").as("profiles"))
			.where(org.apache.spark.sql.functions.size(col("profiles")).gt(1))
			.collectAsList()) {
			List<UUID> group = new ArrayList<>();
			for (String profile : row.<String>getList(1)) {
				group.add(UUID.fromString(profile));
			}
			groups.add(group);
		}
		return groups;
	}

	/**
	 * Merges a group of profiles into the one that holds a user id, else the oldest, one
	 * transaction per group.
	 * @return merges applied and refused
	 */
	private int[] mergeGroup(String workspace, List<UUID> group) throws java.sql.SQLException {
		try (Connection connection = this.connections.getConnection()) {
			connection.setAutoCommit(false);
			try {
				List<UUID> ordered = new ArrayList<>();
				try (java.sql.PreparedStatement select = connection.prepareStatement("""
						select profile_id from profile.profile where workspace_id = ? and profile_id = any (?)
						 order by (user_id is null), created_at, profile_id""")) {
					select.setString(1, workspace);
					select.setArray(2, connection.createArrayOf("uuid", group.toArray()));
					try (java.sql.ResultSet result = select.executeQuery()) {
						while (result.next()) {
							ordered.add(result.getObject(1, UUID.class));
						}
					}
				}
				int applied = 0;
				int refused = 0;
				if (!ordered.isEmpty()) {
					UUID survivor = ordered.get(0);
					for (UUID other : ordered.subList(1, ordered.size())) {
						Optional<UUID> merged = ProfileMerges.merge(connection, this.rules, this.traits, workspace,
								other, survivor, MergeReason.BATCH);
						if (merged.isPresent()) {
							survivor = merged.get();
							applied++;
						}
						else {
							refused++;
						}
					}
				}
				connection.commit();
				return new int[] { applied, refused };
			}
			catch (java.sql.SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
		}
	}

	/**
	 * Pairs of events on one profile.
	 *
	 * @param clusterPairs in the recompute
	 * @param profilePairs in streaming's profiles
	 * @param bothPairs in both
	 */
	record Comparison(long clusterPairs, long profilePairs, long bothPairs) {

		/**
		 * @return pairs in both over pairs in either (1: the same partition of events)
		 */
		double agreement() {
			long either = this.clusterPairs + this.profilePairs - this.bothPairs;
			return (either == 0) ? 1.0 : (double) this.bothPairs / either;
		}

	}

}
