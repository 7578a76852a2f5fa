package io.lodestar.recommender.model;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The serving version of each workspace, in memory. A reload (every
 * {@code reload-interval}, and at once after a promotion, pin or rollback) compares the
 * serving versions in the database with the models held, loads what changed on this
 * background thread, and swaps each workspace's reference in one step: a request holds
 * either the old instance or the new one, never a mixture, and never waits for a load. A
 * version that cannot be loaded leaves the previous model serving.
 */
@Component
public class ModelRegistry implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	/** Erased profiles are also left out of models loaded shortly after the erasure. */
	private static final Duration ERASED_MEMORY = Duration.ofHours(1);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate readOnly;

	private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();

	/** A version that failed to load is tried again after this long. */
	private static final Duration RETRY_FAILED = Duration.ofMinutes(1);

	private final Map<UUID, Failure> failures = new ConcurrentHashMap<>();

	private final Map<String, Map<UUID, Instant>> erased = new ConcurrentHashMap<>();

	private final ReentrantLock reloading = new ReentrantLock();

	private final AtomicBoolean loadedOnce = new AtomicBoolean();

	private final ExecutorService soon = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "model-reload");
		thread.setDaemon(true);
		return thread;
	});

	ModelRegistry(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
		this.readOnly.setReadOnly(true);
	}

	/**
	 * @param workspace the workspace
	 * @return the model serving it, or null when it has none (yet)
	 */
	public LoadedModel current(String workspace) {
		return this.models.get(workspace);
	}

	/**
	 * @return whether the serving versions have been compared with memory at least once
	 */
	public boolean ready() {
		return this.loadedOnce.get();
	}

	/**
	 * @param versionId a version
	 * @return why it could not be loaded, or null
	 */
	String failure(UUID versionId) {
		Failure failure = this.failures.get(versionId);
		return (failure != null) ? failure.reason() : null;
	}

	/** A reload on the background thread, without waiting for it. */
	public void reloadSoon() {
		this.soon.execute(this::reload);
	}

	/**
	 * Leaves erased profiles out of the models in memory (their rows are already
	 * deleted).
	 * @param workspace the workspace
	 * @param profiles the profiles that no longer exist
	 */
	public void forget(String workspace, Collection<UUID> profiles) {
		if (profiles.isEmpty()) {
			return;
		}
		Instant now = Instant.now();
		Map<UUID, Instant> remembered = this.erased.computeIfAbsent(workspace, (key) -> new ConcurrentHashMap<>());
		profiles.forEach((profile) -> remembered.put(profile, now));
		this.models.computeIfPresent(workspace, (key, model) -> model.without(profiles));
	}

	@Scheduled(fixedDelayString = "${lodestar.recommender.reload-interval:5s}")
	public void reload() {
		this.reloading.lock();
		try {
			Map<String, UUID> serving = new HashMap<>();
			Map<String, Instant> trainedAt = new HashMap<>();
			this.jdbc.query("select workspace_id, version_id, trained_at from recommender.model_version"
					+ " where status = 'serving'", (ResultSet row) -> {
						serving.put(row.getString(1), row.getObject(2, UUID.class));
						trainedAt.put(row.getString(1), row.getTimestamp(3).toInstant());
					});
			for (String workspace : List.copyOf(this.models.keySet())) {
				if (!serving.containsKey(workspace)) {
					this.models.remove(workspace);
					logger.info("Workspace {}: no serving model any more", workspace);
				}
			}
			for (Map.Entry<String, UUID> entry : serving.entrySet()) {
				String workspace = entry.getKey();
				UUID version = entry.getValue();
				LoadedModel held = this.models.get(workspace);
				if (held != null && held.versionId().equals(version)) {
					continue;
				}
				Failure failed = this.failures.get(version);
				if (failed != null && failed.at().isAfter(Instant.now().minus(RETRY_FAILED))) {
					continue;
				}
				try {
					long started = System.nanoTime();
					LoadedModel loaded = load(workspace, version, trainedAt.get(workspace));
					this.models.put(workspace, loaded.without(recentlyErased(workspace)));
					// an erasure that evicted from the previous model meanwhile is
					// applied too
					this.models.computeIfPresent(workspace, (key, model) -> model.without(recentlyErased(workspace)));
					this.failures.remove(version);
					logger.info("Workspace {}: serving version {} ({} items, {} users, rank {}, loaded in {} ms)",
							workspace, version, loaded.itemCount(), loaded.userCount(), loaded.rank(),
							(System.nanoTime() - started) / 1_000_000);
				}
				catch (RuntimeException ex) {
					this.failures.put(version, new Failure(reason(ex), Instant.now()));
					logger.error("Workspace {}: version {} could not be loaded; the previous model keeps serving",
							workspace, version, ex);
				}
			}
			this.loadedOnce.set(true);
		}
		finally {
			this.reloading.unlock();
		}
	}

	private Set<UUID> recentlyErased(String workspace) {
		Map<UUID, Instant> remembered = this.erased.get(workspace);
		if (remembered == null) {
			return Set.of();
		}
		Instant horizon = Instant.now().minus(ERASED_MEMORY);
		remembered.values().removeIf((at) -> at.isBefore(horizon));
		return Set.copyOf(remembered.keySet());
	}

	private static String reason(RuntimeException ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return (message.length() > 300) ? message.substring(0, 300) : message;
	}

	/**
	 * Reads a version's factors in one read-only transaction (a cursor, not the whole
	 * result at once).
	 */
	LoadedModel load(String workspace, UUID version, Instant trainedAt) {
		return this.readOnly.execute((status) -> {
			List<String> itemIds = new ArrayList<>();
			List<float[]> itemFactors = new ArrayList<>();
			List<Double> popularity = new ArrayList<>();
			int[] rank = { -1 };
			this.jdbc.query((connection) -> {
				var statement = connection.prepareStatement("select item_id, factors, popularity"
						+ " from recommender.model_item where version_id = ? order by item_index");
				statement.setObject(1, version);
				statement.setFetchSize(2000);
				return statement;
			}, (ResultSet row) -> {
				String item = row.getString(1);
				float[] factors = factors(row.getArray(2), rank, "item " + item);
				double score = row.getDouble(3);
				if (!Double.isFinite(score)) {
					throw new IllegalStateException("item " + item + " has a popularity of " + score);
				}
				itemIds.add(item);
				itemFactors.add(factors);
				popularity.add(score);
			});
			if (itemIds.isEmpty()) {
				throw new IllegalStateException("version " + version + " has no item factors");
			}
			Map<String, Integer> itemIndex = new HashMap<>(itemIds.size() * 2);
			for (int i = 0; i < itemIds.size(); i++) {
				itemIndex.put(itemIds.get(i), i);
			}
			List<UUID> users = new ArrayList<>();
			List<float[]> userFactors = new ArrayList<>();
			List<int[]> purchased = new ArrayList<>();
			this.jdbc.query((connection) -> {
				var statement = connection.prepareStatement("select profile_id, factors, purchased"
						+ " from recommender.model_user where version_id = ? and workspace_id = ?");
				statement.setObject(1, version);
				statement.setString(2, workspace);
				statement.setFetchSize(2000);
				return statement;
			}, (ResultSet row) -> {
				UUID profile = row.getObject(1, UUID.class);
				users.add(profile);
				userFactors.add(factors(row.getArray(2), rank, "profile " + profile));
				Array bought = row.getArray(3);
				String[] ids = (bought != null) ? (String[]) bought.getArray() : new String[0];
				int[] indices = new int[ids.length];
				int known = 0;
				for (String id : ids) {
					Integer index = itemIndex.get(id);
					if (index != null) {
						indices[known++] = index;
					}
				}
				purchased.add(LoadedModel.sortedDistinct(java.util.Arrays.copyOf(indices, known)));
			});
			int r = rank[0];
			float[] items = new float[itemIds.size() * r];
			for (int i = 0; i < itemFactors.size(); i++) {
				System.arraycopy(itemFactors.get(i), 0, items, i * r, r);
			}
			float[] usersFlat = new float[users.size() * r];
			for (int u = 0; u < userFactors.size(); u++) {
				System.arraycopy(userFactors.get(u), 0, usersFlat, u * r, r);
			}
			return new LoadedModel(workspace, version, trainedAt, r, itemIds.toArray(String[]::new), items,
					popularity.stream().mapToDouble(Double::doubleValue).toArray(), users.toArray(UUID[]::new),
					usersFlat, purchased.toArray(int[][]::new));
		});
	}

	private static float[] factors(Array array, int[] rank, String what) throws SQLException {
		if (array == null) {
			throw new IllegalStateException(what + " has no factors");
		}
		Object raw = array.getArray();
		float[] factors;
		if (raw instanceof Float[] boxed) {
			factors = new float[boxed.length];
			for (int f = 0; f < boxed.length; f++) {
				if (boxed[f] == null) {
					throw new IllegalStateException(what + " has a null factor");
				}
				factors[f] = boxed[f];
			}
		}
		else if (raw instanceof float[] primitive) {
			factors = primitive;
		}
		else {
			throw new IllegalStateException(what + ": factors are not real[]");
		}
		if (rank[0] < 0) {
			if (factors.length == 0) {
				throw new IllegalStateException(what + " has no factors");
			}
			rank[0] = factors.length;
		}
		else if (factors.length != rank[0]) {
			throw new IllegalStateException(what + " has " + factors.length + " factors, the others " + rank[0]);
		}
		for (float factor : factors) {
			if (!Float.isFinite(factor)) {
				throw new IllegalStateException(what + " has a factor that is not a finite number");
			}
		}
		return factors;
	}

	private record Failure(String reason, Instant at) {
	}

	@Override
	public void destroy() {
		this.soon.shutdownNow();
	}

}
