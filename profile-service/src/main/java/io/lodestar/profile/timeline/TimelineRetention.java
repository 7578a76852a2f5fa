package io.lodestar.profile.timeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes timeline events older than {@code lodestar.profile.timeline.retention} from
 * PostgreSQL (they stay in the lake), in small batches per workspace and event name so
 * that each statement is answered by the name index and never holds many locks; one
 * instance at a time (an advisory lock). Does nothing while the retention is zero.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(TimelineProperties.class)
class TimelineRetention {

	private static final Logger logger = LoggerFactory.getLogger(TimelineRetention.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final TimelineProperties properties;

	private final Clock clock = Clock.systemUTC();

	private final ApplicationEventPublisher events;

	TimelineRetention(JdbcClient jdbc, TransactionTemplate transactions, TimelineProperties properties,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
		this.transactions = transactions;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${lodestar.profile.timeline.prune-interval:1h}", initialDelayString = "PT1M")
	void scheduled() {
		if (!this.properties.keepsEverything()) {
			prune();
		}
	}

	/**
	 * @return the events pruned
	 */
	long prune() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(this.properties.retention()));
		List<Map<String, Object>> kinds = this.jdbc.sql("""
				select distinct workspace_id, event_name from profile.profile_event_count where first_at < :before""")
			.param("before", before)
			.query()
			.listOfRows();
		long pruned = 0;
		for (Map<String, Object> kind : kinds) {
			while (true) {
				Integer deleted = this.transactions.execute((status) -> {
					boolean locked = this.jdbc.sql("select pg_try_advisory_xact_lock(hashtext('timeline-retention'))")
						.query(Boolean.class)
						.single();
					if (!locked) {
						return -1;
					}
					return this.jdbc.sql("""
							delete from profile.profile_event where ctid = any(array(
							  select ctid from profile.profile_event
							   where workspace_id = :workspace and event_name = :name and occurred_at < :before
							   limit :batch))""")
						.param("workspace", kind.get("workspace_id"))
						.param("name", kind.get("event_name"))
						.param("before", before)
						.param("batch", this.properties.pruneBatch())
						.update();
				});
				if (deleted == null || deleted < 0) {
					// another instance prunes
					return pruned;
				}
				pruned += deleted;
				if (deleted < this.properties.pruneBatch()) {
					break;
				}
			}
		}
		if (pruned > 0) {
			logger.info("Timeline: {} events older than {} pruned from PostgreSQL (kept in the lake)", pruned, before);
			this.events.publishEvent(new TimelinePruned(before.toInstant()));
		}
		return pruned;
	}

}
