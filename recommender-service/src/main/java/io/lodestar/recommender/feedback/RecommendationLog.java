package io.lodestar.recommender.feedback;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.recommender.system.RecommenderProperties;

/**
 * Logs every answer in {@code recommender.recommendation_log} off the request path: an
 * answer is queued in memory and written in batches every {@code log-flush-interval} (and
 * on shutdown), with the profiles it went to in {@code served_profile}. A batch that
 * fails is kept and tried again; beyond {@code log-queue-capacity} waiting answers, new
 * ones are dropped and counted ({@code recommender.log.dropped}), never slowing the
 * answers down.
 */
@Component
public class RecommendationLog implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(RecommendationLog.class);

	private static final int BATCH = 2_000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final BlockingQueue<Entry> queue;

	private final Counter dropped;

	private final List<Entry> failed = new ArrayList<>();

	RecommendationLog(JdbcTemplate jdbc, TransactionTemplate transactions, RecommenderProperties properties,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.queue = new ArrayBlockingQueue<>(properties.logQueueCapacity());
		this.dropped = Counter.builder("recommender.log.dropped")
			.description("answers not logged because the log queue was full")
			.register(meters);
	}

	/**
	 * @param entry an answer just given
	 */
	public void record(Entry entry) {
		if (!this.queue.offer(entry)) {
			this.dropped.increment();
		}
	}

	/** Writes every answer waiting, in batches. */
	@Scheduled(fixedDelayString = "${lodestar.recommender.log-flush-interval:200ms}")
	public synchronized void flush() {
		while (true) {
			List<Entry> batch = new ArrayList<>(this.failed);
			this.failed.clear();
			this.queue.drainTo(batch, Math.max(0, BATCH - batch.size()));
			if (batch.isEmpty()) {
				return;
			}
			try {
				write(batch);
			}
			catch (RuntimeException ex) {
				this.failed.addAll(batch);
				logger.warn("{} answers not logged yet, tried again on the next flush ({})", batch.size(),
						ex.getClass().getSimpleName());
				return;
			}
			if (batch.size() < BATCH) {
				return;
			}
		}
	}

	private void write(List<Entry> batch) {
		Set<List<Object>> profiles = new LinkedHashSet<>();
		for (Entry entry : batch) {
			if (entry.profileId() != null) {
				profiles.add(List.of(entry.workspace(), entry.profileId()));
			}
		}
		List<List<Object>> served = new ArrayList<>(profiles);
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.batchUpdate(
					"""
							insert into recommender.recommendation_log
							    (recommendation_id, workspace_id, profile_id, anchor_item_id, version_id, items, reasons, served_at)
							values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (recommendation_id) do nothing""",
					new BatchPreparedStatementSetter() {
						@Override
						public void setValues(PreparedStatement statement, int i) throws SQLException {
							Entry entry = batch.get(i);
							statement.setObject(1, entry.recommendationId());
							statement.setString(2, entry.workspace());
							statement.setObject(3, entry.profileId());
							statement.setString(4, entry.anchorItemId());
							statement.setObject(5, entry.versionId());
							statement.setArray(6, statement.getConnection().createArrayOf("text", entry.items()));
							statement.setArray(7, statement.getConnection().createArrayOf("text", entry.reasons()));
							statement.setTimestamp(8, Timestamp.from(entry.servedAt()));
						}

						@Override
						public int getBatchSize() {
							return batch.size();
						}
					});
			this.jdbc.batchUpdate("""
					insert into recommender.served_profile (workspace_id, profile_id) values (?, ?)
					on conflict (workspace_id, profile_id) do nothing""", new BatchPreparedStatementSetter() {
				@Override
				public void setValues(PreparedStatement statement, int i) throws SQLException {
					statement.setString(1, (String) served.get(i).get(0));
					statement.setObject(2, served.get(i).get(1));
				}

				@Override
				public int getBatchSize() {
					return served.size();
				}
			});
		});
	}

	@Override
	public void destroy() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			logger.warn("Answers not logged on shutdown ({})", ex.getClass().getSimpleName());
		}
	}

	/**
	 * One answer.
	 *
	 * @param recommendationId the answer's id, given to the caller
	 * @param workspace the workspace
	 * @param profileId the (surviving) profile it was for, or null for similar items
	 * @param anchorItemId the item similar items were asked for, or null
	 * @param versionId the model version that answered, or null (popularity without a
	 * model)
	 * @param items the item ids in position order
	 * @param reasons each item's reason
	 * @param servedAt when
	 */
	public record Entry(UUID recommendationId, String workspace, UUID profileId, String anchorItemId, UUID versionId,
			String[] items, String[] reasons, Instant servedAt) {
	}

}
