package io.lodestar.etl.lake;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.iceberg.Table;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import scala.Option;

import io.lodestar.etl.jobs.BatchJob;
import io.lodestar.etl.jobs.JobContext;
import io.lodestar.etl.jobs.JobResult;

/**
 * Job {@code lake}: keeps the events table fast to read and its erasures final (ADR
 * 0032). Streaming commits a few small files per micro-batch; this compacts the
 * workspace's small data files into large ones, rewriting every file an erasure left
 * delete files on (so the erased rows are gone from the current data files, and the
 * delete files with them), then expires the table's snapshots older than the retention —
 * which deletes the files no kept snapshot uses, the erased rows' old files among them.
 */
@Component
class LakeMaintenanceJob implements BatchJob {

	private static final Logger logger = LoggerFactory.getLogger(LakeMaintenanceJob.class);

	static final String NAME = "lake";

	private final LakeTable lake;

	private final LakeMaintenanceProperties properties;

	LakeMaintenanceJob(LakeTable lake, LakeMaintenanceProperties properties) {
		this.lake = lake;
		this.properties = properties;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Compacts the workspace's small lake files and files with erasures, expires old lake snapshots";
	}

	@Override
	public JobResult run(JobContext context) {
		// Iceberg's compaction writes through the thread's active session (its
		// rewrite threads inherit it): make it the lake's, whatever ran last here
		SparkSession spark = this.lake.spark();
		Option<SparkSession> previous = SparkSession.getActiveSession();
		SparkSession.setActiveSession(spark);
		try {
			return maintain(context, SparkActions.get(spark));
		}
		finally {
			if (previous.isDefined()) {
				SparkSession.setActiveSession(previous.get());
			}
			else {
				SparkSession.clearActiveSession();
			}
		}
	}

	private JobResult maintain(JobContext context, SparkActions actions) {
		Table table = this.lake.table();
		context.progress(0.05, "compacting");
		RewriteDataFiles.Result compacted = actions.rewriteDataFiles(table)
			.filter(Expressions.equal("workspace_id", context.workspace()))
			.option("min-file-size-bytes", Long.toString(this.properties.smallFile().toBytes()))
			.option("min-input-files", "2")
			.option("delete-file-threshold", "1")
			// the new files take the rewrite's own sequence number, so the erasures'
			// delete files no longer apply to any data file and are dropped in the
			// same run
			.option(RewriteDataFiles.USE_STARTING_SEQUENCE_NUMBER, "false")
			.option(RewriteDataFiles.REMOVE_DANGLING_DELETES, "true")
			.execute();
		context.progress(0.7, "expiring snapshots");
		table.refresh();
		int before = size(table.snapshots());
		ExpireSnapshots.Result expired = actions.expireSnapshots(table)
			.expireOlderThan(Instant.now().minus(this.properties.snapshotRetention()).toEpochMilli())
			.retainLast(this.properties.snapshotsKept())
			.execute();
		table.refresh();
		int after = size(table.snapshots());
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("dataFilesRewritten", compacted.rewrittenDataFilesCount());
		summary.put("dataFilesAdded", compacted.addedDataFilesCount());
		summary.put("bytesRewritten", compacted.rewrittenBytesCount());
		summary.put("deleteFilesRemoved", compacted.removedDeleteFilesCount());
		summary.put("snapshotsExpired", Math.max(0, before - after));
		summary.put("snapshotsKept", after);
		summary.put("filesDeleted",
				expired.deletedDataFilesCount() + expired.deletedPositionDeleteFilesCount()
						+ expired.deletedEqualityDeleteFilesCount() + expired.deletedManifestsCount()
						+ expired.deletedManifestListsCount());
		logger.info("Lake maintenance for workspace {}: {}", context.workspace(), summary);
		return new JobResult(compacted.rewrittenDataFilesCount(), compacted.addedDataFilesCount(), summary);
	}

	private static int size(Iterable<?> items) {
		int count = 0;
		for (Object ignored : items) {
			count++;
		}
		return count;
	}

}
