package io.lodestar.etl.lake;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The lake maintenance job's settings, prefix {@code lodestar.etl.lake.maintenance} (ADR
 * 0032).
 *
 * @param snapshotRetention snapshots older than this are expired (their files deleted
 * unless a newer snapshot still uses them); every streaming micro-batch is a snapshot,
 * and each commit rewrites the list of snapshots, so keep it short
 * @param snapshotsKept the newest snapshots kept whatever their age (a streaming replay
 * looks for its batch's commit among them)
 * @param smallFile data files below this size are compacted
 */
@ConfigurationProperties("lodestar.etl.lake.maintenance")
public record LakeMaintenanceProperties(@DefaultValue("1h") Duration snapshotRetention,
		@DefaultValue("100") int snapshotsKept, @DefaultValue("32MB") DataSize smallFile) {

	public LakeMaintenanceProperties {
		if (snapshotRetention.isNegative()) {
			throw new IllegalArgumentException("lodestar.etl.lake.maintenance.snapshot-retention must not be negative");
		}
		if (snapshotsKept < 1) {
			throw new IllegalArgumentException("lodestar.etl.lake.maintenance.snapshots-kept must be at least 1");
		}
	}

}
