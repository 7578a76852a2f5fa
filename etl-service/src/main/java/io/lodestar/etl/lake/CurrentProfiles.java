package io.lodestar.etl.lake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

/**
 * A lake event's profile id is the profile it was applied to; that profile may since have
 * been merged into another ({@code profile.profile_merge}). This puts events on the
 * profiles they belong to now, chains of merges followed.
 */
@Component
public class CurrentProfiles {

	private final SparkSession spark;

	private final NamedParameterJdbcTemplate jdbc;

	CurrentProfiles(SparkSession spark, NamedParameterJdbcTemplate jdbc) {
		this.spark = spark;
		this.jdbc = jdbc;
	}

	/**
	 * @param workspace the workspace
	 * @return merged profile id → the profile it lives on now
	 */
	public Map<String, String> merges(String workspace) {
		Map<String, String> into = new HashMap<>();
		this.jdbc.query("""
				select merged_profile_id::text, into_profile_id::text from profile.profile_merge
				 where workspace_id = :workspace""", new MapSqlParameterSource("workspace", workspace), (row) -> {
			into.put(row.getString(1), row.getString(2));
		});
		Map<String, String> resolved = new HashMap<>();
		for (Map.Entry<String, String> merge : into.entrySet()) {
			String target = merge.getValue();
			int hops = 0;
			while (into.containsKey(target) && hops++ < 100) {
				target = into.get(target);
			}
			resolved.put(merge.getKey(), target);
		}
		return resolved;
	}

	/**
	 * @param events rows with a {@code profile_id} column
	 * @param workspace their workspace
	 * @return the same rows and columns (in order), {@code profile_id} replaced by the
	 * profile it was merged into, if any
	 */
	public Dataset<Row> follow(Dataset<Row> events, String workspace) {
		Map<String, String> merged = merges(workspace);
		if (merged.isEmpty()) {
			return events;
		}
		List<Row> pairs = new ArrayList<>(merged.size());
		merged.forEach((from, into) -> pairs.add(RowFactory.create(from, into)));
		Dataset<Row> mapping = this.spark.createDataFrame(pairs,
				new StructType().add("merged_id", DataTypes.StringType).add("into_id", DataTypes.StringType));
		org.apache.spark.sql.Column[] columns = java.util.Arrays.stream(events.columns())
			.map((name) -> "profile_id".equals(name) ? coalesce(col("into_id"), col("profile_id")).as("profile_id")
					: col(name))
			.toArray(org.apache.spark.sql.Column[]::new);
		return events.join(broadcast(mapping), col("profile_id").equalTo(col("merged_id")), "left").select(columns);
	}

}
