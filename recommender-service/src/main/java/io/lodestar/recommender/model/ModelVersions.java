package io.lodestar.recommender.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import io.lodestar.recommender.system.RecommenderProperties.PromotionPolicy;
import io.lodestar.web.Problems;

/**
 * The life of model versions after training: every change of the serving version
 * (promotion by policy, promote, pin, unpin, rollback) runs in one transaction under the
 * workspace's advisory lock, retires the version that served, records the decision on the
 * version and a stint in {@code serving_history}. At most one version serves per
 * workspace (V2's unique index) and at most one is pinned.
 */
@Service
public class ModelVersions {

	static final int DECISION_LENGTH = 500;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	ModelVersions(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
	}

	/**
	 * @param workspace the workspace
	 * @param limit the most to list
	 * @return its versions, newest first
	 */
	List<Version> list(String workspace, int limit) {
		return this.jdbc
			.sql("select * from recommender.model_version where workspace_id = :workspace"
					+ " order by trained_at desc, version_id limit :limit")
			.param("workspace", workspace)
			.param("limit", limit)
			.query(this::version)
			.list();
	}

	/**
	 * @param workspace the workspace
	 * @param versionId the version
	 * @return the version, when the workspace has it
	 */
	public Optional<Version> find(String workspace, UUID versionId) {
		return this.jdbc
			.sql("select * from recommender.model_version where workspace_id = :workspace and version_id = :version")
			.param("workspace", workspace)
			.param("version", versionId)
			.query(this::version)
			.optional();
	}

	Optional<Version> serving(String workspace) {
		return this.jdbc
			.sql("select * from recommender.model_version where workspace_id = :workspace and status = 'serving'")
			.param("workspace", workspace)
			.query(this::version)
			.optional();
	}

	/** Candidates waiting for a decision, oldest first, across workspaces. */
	List<Version> candidates() {
		return this.jdbc
			.sql("select * from recommender.model_version where status = 'candidate'"
					+ " order by trained_at, version_id")
			.query(this::version)
			.list();
	}

	/**
	 * Removes the factors of old versions: every retired or rejected, unpinned version
	 * beyond a workspace's {@code keep} newest such versions loses its {@code model_item}
	 * and {@code model_user} rows (its row, metrics and decision stay). The serving
	 * version, candidates and the newest retired ones are kept for pin and rollback.
	 * @param keep how many retired or rejected versions per workspace keep their factors
	 * @return the versions whose factors were removed
	 */
	List<UUID> prune(int keep) {
		List<Map.Entry<String, UUID>> old = this.jdbc
			.sql("""
					with ranked as (
					  select workspace_id, version_id,
					         row_number() over (partition by workspace_id order by trained_at desc, version_id) as n
					    from recommender.model_version where status in ('retired', 'rejected') and not pinned)
					select workspace_id, version_id from ranked r
					 where n > :keep and exists (select 1 from recommender.model_item i where i.version_id = r.version_id)""")
			.param("keep", Math.max(0, keep))
			.query((row, n) -> Map.entry(row.getString(1), row.getObject(2, UUID.class)))
			.list();
		List<UUID> pruned = new java.util.ArrayList<>();
		for (Map.Entry<String, UUID> version : old) {
			Boolean done = this.transactions.execute((status) -> {
				lock(version.getKey());
				// still old under the lock: not pinned or serving meanwhile
				boolean stillOld = this.jdbc.sql("""
						select exists (select 1 from recommender.model_version where version_id = :version
						                  and status in ('retired', 'rejected') and not pinned)""")
					.param("version", version.getValue())
					.query(Boolean.class)
					.single();
				if (!stillOld) {
					return false;
				}
				this.jdbc.sql("delete from recommender.model_user where version_id = :version")
					.param("version", version.getValue())
					.update();
				this.jdbc.sql("delete from recommender.model_item where version_id = :version")
					.param("version", version.getValue())
					.update();
				return true;
			});
			if (Boolean.TRUE.equals(done)) {
				pruned.add(version.getValue());
			}
		}
		return pruned;
	}

	/**
	 * @param versionId a version
	 * @return whether its factors are still stored
	 */
	boolean hasFactors(UUID versionId) {
		return this.jdbc.sql("select exists (select 1 from recommender.model_item where version_id = :version)")
			.param("version", versionId)
			.query(Boolean.class)
			.single();
	}

	/**
	 * Decides on one candidate by the workspace's policy, unless a pinned version serves.
	 * @param workspace the workspace
	 * @param candidateId the candidate
	 * @param policy the workspace's policy
	 * @return what was decided
	 */
	Decision decide(String workspace, UUID candidateId, PromotionPolicy policy) {
		return this.transactions.execute((status) -> {
			lock(workspace);
			Version candidate = find(workspace, candidateId).orElse(null);
			if (candidate == null || !"candidate".equals(candidate.status())) {
				return new Decision(Outcome.NONE, "no longer a candidate");
			}
			Version serving = serving(workspace).orElse(null);
			Decision decision = decision(candidate, serving, policy);
			switch (decision.outcome()) {
				case PROMOTE ->
					serve(workspace, candidate, serving, false, "promotion", decision.reason(), "promotion");
				case REJECT -> this.jdbc
					.sql("""
							update recommender.model_version set status = 'rejected', decision = :decision, decided_at = now()
							 where version_id = :version""")
					.param("decision", truncate(decision.reason()))
					.param("version", candidateId)
					.update();
				case WAIT -> this.jdbc.sql("""
						update recommender.model_version set decision = :decision, decided_at = now()
						 where version_id = :version and decision is distinct from :decision""")
					.param("decision", truncate(decision.reason()))
					.param("version", candidateId)
					.update();
				case NONE -> {
				}
			}
			return decision;
		});
	}

	/**
	 * The policy's word on a candidate; pure, so that the rules are tested on their own.
	 * @param candidate the candidate
	 * @param serving the serving version, or null
	 * @param policy the policy
	 * @return promote, reject or wait, and why
	 */
	static Decision decision(Version candidate, Version serving, PromotionPolicy policy) {
		if (serving != null && serving.pinned()) {
			return new Decision(Outcome.WAIT,
					"waiting: version " + serving.versionId() + " is pinned (automatic promotion resumes on unpin)");
		}
		return switch (policy) {
			case ALWAYS -> new Decision(Outcome.PROMOTE, "promoted (policy always)" + metricsNote(candidate));
			case MANUAL -> new Decision(Outcome.WAIT,
					"waiting for promotion through the API (policy manual)" + metricsNote(candidate));
			case IF_BETTER -> {
				Double ndcg = candidate.alsNdcg();
				String at = "NDCG@" + candidate.k();
				if (ndcg == null) {
					yield new Decision(Outcome.REJECT,
							"rejected (policy if-better): its metrics carry no als.ndcg to compare");
				}
				if (serving == null) {
					yield new Decision(Outcome.PROMOTE, "promoted (policy if-better): no version was serving; ALS " + at
							+ " " + format(ndcg) + baselines(candidate));
				}
				Double current = serving.alsNdcg();
				if (current == null) {
					yield new Decision(Outcome.PROMOTE, "promoted (policy if-better): the serving version "
							+ serving.versionId() + " has no ALS NDCG; this one's " + at + " is " + format(ndcg));
				}
				String comparison = "ALS " + at + " " + format(ndcg) + " vs " + format(current) + " of version "
						+ serving.versionId() + ((candidate.k() != serving.k()) ? " (NDCG@" + serving.k() + ")" : "");
				yield (ndcg > current) ? new Decision(Outcome.PROMOTE, "promoted (policy if-better): " + comparison)
						: new Decision(Outcome.REJECT, "rejected (policy if-better): does not beat it, " + comparison);
			}
		};
	}

	private static String metricsNote(Version candidate) {
		Double ndcg = candidate.alsNdcg();
		return (ndcg != null) ? "; ALS NDCG@" + candidate.k() + " " + format(ndcg) : "";
	}

	private static String baselines(Version candidate) {
		StringBuilder note = new StringBuilder();
		JsonNode popularity = candidate.metrics().path("popularity").path("ndcg");
		JsonNode itemKnn = candidate.metrics().path("itemKnn").path("ndcg");
		if (popularity.isNumber()) {
			note.append(", popularity ").append(format(popularity.asDouble()));
		}
		if (itemKnn.isNumber()) {
			note.append(", item-kNN ").append(format(itemKnn.asDouble()));
		}
		return note.toString();
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.4f", value);
	}

	/**
	 * Serves a version chosen through the API (promote) and, if asked, pins it.
	 * @param workspace the workspace
	 * @param versionId the version
	 * @param pin whether automatic promotion stops while it serves
	 * @return the version afterwards
	 */
	Version serveThroughApi(String workspace, UUID versionId, boolean pin) {
		return this.transactions.execute((status) -> {
			lock(workspace);
			Version version = find(workspace, versionId).orElseThrow(() -> notFound(versionId));
			Version serving = serving(workspace).orElse(null);
			if (!pin && serving != null && serving.pinned() && !serving.versionId().equals(versionId)) {
				throw conflict("model-pinned", "Model pinned",
						"version " + serving.versionId() + " is pinned: unpin it, or pin this one");
			}
			requireFactors(versionId);
			if (serving != null && serving.versionId().equals(versionId)) {
				if (pin && !version.pinned()) {
					this.jdbc.sql("""
							update recommender.model_version set pinned = true, decision = :decision, decided_at = now()
							 where version_id = :version""")
						.param("decision", "pinned through the API: serves until unpinned or rolled back")
						.param("version", versionId)
						.update();
				}
				return find(workspace, versionId).orElseThrow();
			}
			String reason = pin ? "pinned through the API: serves until unpinned or rolled back"
					: "promoted through the API (was " + version.status() + ")";
			serve(workspace, version, serving, pin, pin ? "pin" : "promote", reason, pin ? "pin" : "promote");
			return find(workspace, versionId).orElseThrow();
		});
	}

	/**
	 * Lets automatic promotion resume; the version keeps serving.
	 * @param workspace the workspace
	 * @param versionId the version
	 * @return the version afterwards
	 */
	Version unpin(String workspace, UUID versionId) {
		return this.transactions.execute((status) -> {
			lock(workspace);
			Version version = find(workspace, versionId).orElseThrow(() -> notFound(versionId));
			if (version.pinned()) {
				this.jdbc.sql("""
						update recommender.model_version set pinned = false, decision = :decision, decided_at = now()
						 where version_id = :version""")
					.param("decision", "unpinned through the API: automatic promotion resumes")
					.param("version", versionId)
					.update();
			}
			return find(workspace, versionId).orElseThrow();
		});
	}

	/**
	 * Back to the version that served before the current one: the latest earlier stint of
	 * another version that did not itself end in a rollback, so that rolling back twice
	 * walks two steps back rather than returning.
	 * @param workspace the workspace
	 * @return the version serving afterwards
	 */
	Version rollback(String workspace) {
		return this.transactions.execute((status) -> {
			lock(workspace);
			Version serving = serving(workspace).orElseThrow(() -> conflict("no-serving-version", "No serving version",
					"no version serves in this workspace, so there is nothing to roll back"));
			UUID target = this.jdbc.sql("""
					select h.version_id from recommender.serving_history h
					 where h.workspace_id = :workspace and h.version_id <> :serving
					   and h.id = (select max(l.id) from recommender.serving_history l
					                where l.workspace_id = h.workspace_id and l.version_id = h.version_id)
					   and h.ended_by is distinct from 'rollback'
					   and exists (select 1 from recommender.model_item i where i.version_id = h.version_id)
					 order by h.id desc limit 1""")
				.param("workspace", workspace)
				.param("serving", serving.versionId())
				.query(UUID.class)
				.optional()
				.orElseThrow(() -> conflict("no-previous-version", "No previous version",
						"no other version served before " + serving.versionId()));
			Version previous = find(workspace, target).orElseThrow();
			this.jdbc.sql("""
					update recommender.serving_history set ended_at = now(), ended_by = 'rollback'
					 where workspace_id = :workspace and version_id = :version and ended_at is null""")
				.param("workspace", workspace)
				.param("version", serving.versionId())
				.update();
			this.jdbc.sql("""
					update recommender.model_version set status = 'retired', pinned = false, decision = :decision,
					       decided_at = now() where version_id = :version""")
				.param("decision", truncate("rolled back through the API to version " + target))
				.param("version", serving.versionId())
				.update();
			String reason = "serving again after a rollback from version " + serving.versionId();
			start(workspace, previous, false, "rollback", reason);
			return find(workspace, target).orElseThrow();
		});
	}

	/** Retires what serves (its stint ends) and starts the version's stint. */
	private void serve(String workspace, Version version, Version serving, boolean pin, String startedBy, String reason,
			String endedBy) {
		if (serving != null) {
			this.jdbc.sql("""
					update recommender.serving_history set ended_at = now(), ended_by = :endedBy
					 where workspace_id = :workspace and version_id = :version and ended_at is null""")
				.param("endedBy", endedBy)
				.param("workspace", workspace)
				.param("version", serving.versionId())
				.update();
			this.jdbc.sql("""
					update recommender.model_version set status = 'retired', pinned = false,
					       decision = :decision, decided_at = now() where version_id = :version""")
				.param("decision",
						truncate("retired: version " + version.versionId() + " serves instead (" + startedBy + ")"))
				.param("version", serving.versionId())
				.update();
		}
		start(workspace, version, pin, startedBy, reason);
	}

	private void start(String workspace, Version version, boolean pin, String startedBy, String reason) {
		if (pin) {
			this.jdbc.sql("update recommender.model_version set pinned = false where workspace_id = :workspace")
				.param("workspace", workspace)
				.update();
		}
		this.jdbc.sql("""
				update recommender.model_version set status = 'serving', pinned = :pin, decision = :decision,
				       decided_at = now() where version_id = :version""")
			.param("pin", pin)
			.param("decision", truncate(reason))
			.param("version", version.versionId())
			.update();
		this.jdbc.sql("""
				insert into recommender.serving_history (workspace_id, version_id, started_by, reason)
				values (:workspace, :version, :startedBy, :reason)""")
			.param("workspace", workspace)
			.param("version", version.versionId())
			.param("startedBy", startedBy)
			.param("reason", truncate(reason))
			.update();
	}

	private void requireFactors(UUID versionId) {
		Boolean any = this.jdbc.sql("select exists (select 1 from recommender.model_item where version_id = :version)")
			.param("version", versionId)
			.query(Boolean.class)
			.single();
		if (!Boolean.TRUE.equals(any)) {
			throw conflict("model-empty", "Model without factors",
					"version " + versionId + " has no item factors and cannot serve");
		}
	}

	/** Serialises every change of a workspace's serving version, across instances. */
	private void lock(String workspace) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('recommender.model_version:' || :workspace))")
			.param("workspace", workspace)
			.query((row, n) -> 1)
			.list();
	}

	private static String truncate(String text) {
		return (text.length() <= DECISION_LENGTH) ? text : text.substring(0, DECISION_LENGTH - 1) + "…";
	}

	static ErrorResponseException notFound(UUID versionId) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "model-not-found",
				"Model version not found", "no model version " + versionId + " in this workspace"), null);
	}

	private static ErrorResponseException conflict(String type, String title, String detail) {
		return new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, type, title, detail),
				null);
	}

	private Version version(ResultSet row, int n) throws SQLException {
		Timestamp decidedAt = row.getTimestamp("decided_at");
		Timestamp cutoff = row.getTimestamp("cutoff");
		return new Version(row.getObject("version_id", UUID.class), row.getString("workspace_id"),
				row.getTimestamp("trained_at").toInstant(), row.getString("status"), row.getBoolean("pinned"),
				row.getString("decision"), (decidedAt != null) ? decidedAt.toInstant() : null,
				this.json.readTree(row.getString("params")), this.json.readTree(row.getString("metrics")),
				(cutoff != null) ? cutoff.toInstant() : null, row.getLong("interactions"), row.getInt("users"),
				row.getInt("items"), row.getLong("duration_ms"));
	}

	/**
	 * A row of {@code model_version}.
	 *
	 * @param versionId the version
	 * @param workspaceId its workspace
	 * @param trainedAt when the training job wrote it
	 * @param status candidate, serving, retired or rejected
	 * @param pinned whether it serves with automatic promotion stopped
	 * @param decision why it was promoted, rejected, pinned, retired or rolled back
	 * @param decidedAt when
	 * @param params the training's parameters
	 * @param metrics the offline evaluation
	 * @param cutoff the evaluation's time split
	 * @param interactions interactions trained on
	 * @param users users with factors
	 * @param items items with factors
	 * @param durationMs the training's duration
	 */
	public record Version(UUID versionId, String workspaceId, Instant trainedAt, String status, boolean pinned,
			String decision, Instant decidedAt, JsonNode params, JsonNode metrics, Instant cutoff, long interactions,
			int users, int items, long durationMs) {

		/**
		 * @return the ALS NDCG@k of the evaluation, or null when absent
		 */
		public Double alsNdcg() {
			JsonNode ndcg = this.metrics.path("als").path("ndcg");
			return (ndcg.isNumber() && Double.isFinite(ndcg.asDouble())) ? ndcg.asDouble() : null;
		}

		/**
		 * @return the k of the metrics, 10 when absent
		 */
		public int k() {
			JsonNode k = this.metrics.path("k");
			return k.canConvertToInt() ? k.asInt() : 10;
		}

	}

	/**
	 * @param outcome what happens to the candidate
	 * @param reason the decision as recorded
	 */
	record Decision(Outcome outcome, String reason) {
	}

	enum Outcome {

		PROMOTE, REJECT, WAIT, NONE

	}

}
