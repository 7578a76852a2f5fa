package io.lodestar.etl.lake;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Right to erasure in the lake: a row-level DELETE of every event of a workspace's given
 * profiles, userIds or anonymousIds.
 */
@Component
public class LakeEraser {

	private static final Logger log = LoggerFactory.getLogger(LakeEraser.class);

	private final LakeTable table;

	LakeEraser(LakeTable table) {
		this.table = table;
	}

	/**
	 * Deletes the matching rows.
	 * @param workspaceId the workspace
	 * @param profileIds profile ids whose events go
	 * @param userIds userIds whose events go
	 * @param anonymousIds anonymousIds whose events go
	 * @return the rows deleted
	 */
	public synchronized long erase(String workspaceId, List<UUID> profileIds, List<String> userIds,
			List<String> anonymousIds) {
		StringBuilder any = new StringBuilder();
		Column matches = lit(false);
		if (!profileIds.isEmpty()) {
			any.append(" OR profile_id IN (")
				.append(profileIds.stream().map((id) -> literal(id.toString())).collect(Collectors.joining(", ")))
				.append(')');
			matches = matches.or(col("profile_id").isin(profileIds.stream().map(UUID::toString).toArray()));
		}
		if (!userIds.isEmpty()) {
			any.append(" OR user_id IN (")
				.append(userIds.stream().map(LakeEraser::literal).collect(Collectors.joining(", ")))
				.append(')');
			matches = matches.or(col("user_id").isin(userIds.toArray()));
		}
		if (!anonymousIds.isEmpty()) {
			any.append(" OR anonymous_id IN (")
				.append(anonymousIds.stream().map(LakeEraser::literal).collect(Collectors.joining(", ")))
				.append(')');
			matches = matches.or(col("anonymous_id").isin(anonymousIds.toArray()));
		}
		if (any.isEmpty()) {
			return 0;
		}
		long count = this.table.events().filter(col("workspace_id").equalTo(workspaceId).and(matches)).count();
		if (count > 0) {
			this.table.spark()
				.sql("DELETE FROM %s WHERE workspace_id = %s AND (false%s)".formatted(LakeTable.EVENTS,
						literal(workspaceId), any));
		}
		log.info("Erased {} lake rows in workspace {} ({} profiles, {} userIds, {} anonymousIds)", count, workspaceId,
				profileIds.size(), userIds.size(), anonymousIds.size());
		return count;
	}

	/** A Spark SQL string literal; quotes and backslashes escaped. */
	static String literal(String value) {
		return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

}
