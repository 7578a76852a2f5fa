package io.lodestar.recommender.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.recommender.model.ModelRegistry;

/**
 * Removes every row of this schema that belongs to a profile that no longer exists —
 * erased by profile-service (which deletes the profile and its merge history), as
 * segment-service's members exit: a sweep every {@code erasure-sweep-interval} (60 s),
 * since an erasure leaves no trace to follow. A profile merged into one that exists still
 * exists (its history is the survivor's); its rows go when the survivor is erased. Swept:
 * the answer log and {@code served_profile}, and the factors and purchases of
 * {@code model_user} in every version, which also leave the models in memory.
 */
@Component
public class ErasureSweep {

	private static final Logger logger = LoggerFactory.getLogger(ErasureSweep.class);

	static final int BATCH = 5_000;

	private static final String GONE = """
			not exists (select 1 from profile.profile p
			             where p.workspace_id = x.workspace_id and p.profile_id = x.profile_id)
			and not exists (select 1 from profile.profile_merge m
			                  join profile.profile s on s.workspace_id = m.workspace_id and s.profile_id = m.into_profile_id
			                 where m.workspace_id = x.workspace_id and m.merged_profile_id = x.profile_id)""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ModelRegistry registry;

	ErasureSweep(JdbcClient jdbc, TransactionTemplate transactions, ModelRegistry registry) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.registry = registry;
	}

	/**
	 * One pass over the profiles this schema holds rows of (the first one interval after
	 * start: profile-service may still be migrating its schema).
	 * @return the profiles whose rows were removed
	 */
	@Scheduled(fixedDelayString = "${lodestar.recommender.erasure-sweep-interval:60s}",
			initialDelayString = "${lodestar.recommender.erasure-sweep-interval:60s}")
	public int sweep() {
		int removed = 0;
		Map<String, List<UUID>> served = gone(
				"select x.workspace_id, x.profile_id from recommender.served_profile x where " + GONE
						+ " limit :batch");
		for (Map.Entry<String, List<UUID>> workspace : served.entrySet()) {
			this.transactions.executeWithoutResult((status) -> {
				int answers = this.jdbc.sql("""
						delete from recommender.recommendation_log
						 where workspace_id = :workspace and profile_id in (:profiles)""")
					.param("workspace", workspace.getKey())
					.param("profiles", workspace.getValue())
					.update();
				this.jdbc.sql("""
						delete from recommender.served_profile
						 where workspace_id = :workspace and profile_id in (:profiles)""")
					.param("workspace", workspace.getKey())
					.param("profiles", workspace.getValue())
					.update();
				logger.info("Workspace {}: {} answers of {} profiles that no longer exist removed", workspace.getKey(),
						answers, workspace.getValue().size());
			});
			removed += workspace.getValue().size();
		}
		Map<String, List<UUID>> modelled = gone(
				"select distinct x.workspace_id, x.profile_id from recommender.model_user x where " + GONE
						+ " limit :batch");
		for (Map.Entry<String, List<UUID>> workspace : modelled.entrySet()) {
			int rows = this.jdbc.sql("""
					delete from recommender.model_user
					 where workspace_id = :workspace and profile_id in (:profiles)""")
				.param("workspace", workspace.getKey())
				.param("profiles", workspace.getValue())
				.update();
			this.registry.forget(workspace.getKey(), workspace.getValue());
			logger.info("Workspace {}: factors of {} profiles that no longer exist removed ({} rows)",
					workspace.getKey(), workspace.getValue().size(), rows);
			removed += workspace.getValue().size();
		}
		return removed;
	}

	private Map<String, List<UUID>> gone(String sql) {
		Map<String, List<UUID>> byWorkspace = new LinkedHashMap<>();
		this.jdbc.sql(sql).param("batch", BATCH).query((row, n) -> {
			byWorkspace.computeIfAbsent(row.getString(1), (key) -> new ArrayList<>()).add(row.getObject(2, UUID.class));
			return null;
		}).list();
		return byWorkspace;
	}

}
