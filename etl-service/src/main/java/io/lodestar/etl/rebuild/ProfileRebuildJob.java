package io.lodestar.etl.rebuild;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobDataException;
import io.lodestar.etl.jobs.JobParameter;
import io.lodestar.etl.jobs.JobRequest;
import io.lodestar.etl.jobs.JobResult;
import io.lodestar.etl.lake.CurrentProfiles;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.streaming.ProfileWriteGate;
import io.lodestar.etl.traits.Traits;
import io.lodestar.etl.traits.TraitsProperties;

import static org.apache.spark.sql.functions.col;

/**
 * Job {@code profiles}: rebuilds a workspace's profiles from the lake — what streaming
 * keeps event by event (event counts, first and last seen, counts by event type and name,
 * identify traits with their merge strategies, sessions, orders, revenue, first and last
 * purchase, favourite category and brand, acquisition) recomputed over every lake event
 * of each profile, on the profiles events belong to now (merges followed). For repairs (a
 * profile table restored from an older backup, a bug fixed in a computed trait, new trait
 * strategies or purchase events applied to the past), and as the batch path of the
 * pipeline. The run reports the drift it found per part; {@code dryRun} only reports it.
 * <p>
 * Consistency with streaming: the whole run holds the exclusive side of the
 * {@link ProfileWriteGate}, so no micro-batch applies events between the lake snapshot
 * read and the profiles written; streaming waits meanwhile and goes on after. Identity
 * (which profile an identifier resolves to), consent, LTV, RFM and merge history are not
 * touched; the identity recompute job is the batch path of the graph.
 */
@Component
class ProfileRebuildJob implements BatchJob {

	private static final Logger log = LoggerFactory.getLogger(ProfileRebuildJob.class);

	static final String NAME = "profiles";

	private final SparkSession spark;

	private final CurrentProfiles currentProfiles;

	private final ProfileWriteGate gate;

	private final ProfileRebuildWriter writer;

	private final Traits traits;

	ProfileRebuildJob(SparkSession spark, CurrentProfiles currentProfiles, ProfileWriteGate gate,
			ProfileRebuildWriter writer, TraitsProperties traits) {
		this.spark = spark;
		this.currentProfiles = currentProfiles;
		this.gate = gate;
		this.writer = writer;
		this.traits = traits.traits();
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Rebuild profiles from the lake: event counts, traits, computed traits and affinities, "
				+ "reporting the drift found";
	}

	@Override
	public List<JobParameter> parameters() {
		return List.of(
				new JobParameter("dryRun", JobParameter.Type.BOOLEAN,
						"report the drift between the lake and the profiles, change nothing (default false)"),
				new JobParameter("profileId", JobParameter.Type.STRING,
						"rebuild this profile only (a live profile's id)"));
	}

	@Override
	public void validate(JobRequest request) {
		Object profileId = request.parameters().get("profileId");
		if (profileId != null) {
			try {
				UUID.fromString((String) profileId);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("profileId is not a profile id (a UUID): " + profileId);
			}
		}
	}

	@Override
	public JobResult run(JobContext context) throws Exception {
		String workspace = context.workspace();
		boolean dryRun = context.booleanParameter("dryRun", false);
		Optional<String> profileId = context.stringParameter("profileId");
		context.progress(0.02, "waiting for the streaming micro-batch in flight");
		return this.gate.exclusive(() -> rebuild(context, workspace, dryRun, profileId));
	}

	private JobResult rebuild(JobContext context, String workspace, boolean dryRun, Optional<String> profileId)
			throws Exception {
		long started = System.nanoTime();
		context.progress(0.05, "reading the lake");
		Dataset<Row> lake = this.spark.table(LakeTable.EVENTS)
			.where(col("workspace_id").equalTo(workspace).and(col("profile_id").isNotNull()))
			.select("event_id", "profile_id", "type", "name", "occurred_at", "received_at", "properties", "context",
					"traits");
		Dataset<Row> events = this.currentProfiles.follow(lake, workspace);
		if (profileId.isPresent()) {
			events = events.where(col("profile_id").equalTo(profileId.get()));
		}
		events = events.localCheckpoint();
		long eventCount = events.count();
		if (eventCount == 0) {
			throw new JobDataException(profileId.isPresent() ? "the lake holds no events of profile " + profileId.get()
					: "no events in the lake for this workspace: nothing to rebuild");
		}
		context.progress(0.3, "recomputing " + eventCount + " events' effects");
		Dataset<Row> contributions = ProfileRebuild.contributions(events, this.traits).localCheckpoint();
		ProfileRebuildWriter.Rebuilt rebuilt = new ProfileRebuildWriter.Rebuilt(ProfileRebuild.profiles(events),
				ProfileRebuild.eventCounts(events),
				ProfileRebuild.computed(contributions, this.traits.sessionTimeoutSeconds()),
				ProfileRebuild.affinities(ProfileRebuild.lines(events, this.traits)),
				ProfileRebuild.identifyTraits(contributions));
		context.progress(0.6, dryRun ? "comparing with the profiles" : "writing the profiles");
		Map<String, Object> written = this.writer.write(workspace, rebuilt, dryRun);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("events", eventCount);
		summary.putAll(written);
		summary.put("seconds", Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
		profileId.ifPresent((id) -> summary.put("profileId", id));
		log.info("Profile rebuild of workspace {} (run {}): {}", workspace, context.runId(), summary);
		long rebuiltProfiles = (Long) written.get("profilesRebuilt");
		return new JobResult(eventCount, dryRun ? 0 : rebuiltProfiles, summary);
	}

}
