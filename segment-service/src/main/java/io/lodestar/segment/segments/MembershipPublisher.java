package io.lodestar.segment.segments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.contracts.topic.Topics;

/**
 * Publishes the membership outbox to {@code cdp.segment.membership}, oldest first, and
 * marks what Kafka acknowledged (acks=all) in the same transaction that locked the rows.
 * A crash between the acknowledgement and the commit publishes those rows again:
 * consumers see each change at least once and can tell a repeat by (segmentId, profileId,
 * change, at).
 */
@Component
class MembershipPublisher {

	private static final Logger logger = LoggerFactory.getLogger(MembershipPublisher.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	MembershipPublisher(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, String> kafka,
			JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.kafka = kafka;
		this.json = json;
	}

	/** The topic this service writes, declared explicitly. */
	@Bean
	static NewTopic segmentMembershipTopic(SegmentProperties properties) {
		return new NewTopic(Topics.SEGMENT_MEMBERSHIP, 6, properties.topicReplicationFactor());
	}

	@Scheduled(fixedDelayString = "${lodestar.segment.publish-interval:500ms}")
	void publishPending() {
		try {
			Integer published;
			do {
				published = this.transactions.execute((status) -> publishBatch());
			}
			while (published != null && published > 0);
		}
		catch (RuntimeException ex) {
			logger.warn("Membership changes not published yet ({}); retrying", ex.getClass().getSimpleName());
		}
	}

	/**
	 * Published changes are kept a day (for inspection), then deleted: the outbox is not
	 * an archive of who was in which segment.
	 */
	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void deletePublished() {
		this.jdbc.sql("delete from segment.membership_outbox where published_at < now() - interval '1 day'").update();
	}

	private int publishBatch() {
		List<Map<String, Object>> rows = this.jdbc.sql("""
				select id, workspace_id, segment_id, profile_id, change, version, at from segment.membership_outbox
				 where published_at is null order by id limit 1000 for update skip locked""").query().listOfRows();
		if (rows.isEmpty()) {
			return 0;
		}
		List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
		List<Long> ids = new ArrayList<>(rows.size());
		for (Map<String, Object> row : rows) {
			Map<String, Object> message = new LinkedHashMap<>();
			message.put("workspaceId", row.get("workspace_id"));
			message.put("segmentId", row.get("segment_id").toString());
			message.put("profileId", row.get("profile_id").toString());
			message.put("change", row.get("change"));
			message.put("ruleVersion", row.get("version"));
			message.put("at", ((java.sql.Timestamp) row.get("at")).toInstant().toString());
			sends.add(this.kafka.send(Topics.SEGMENT_MEMBERSHIP, row.get("workspace_id") + ":" + row.get("profile_id"),
					this.json.writeValueAsString(message)));
			ids.add(((Number) row.get("id")).longValue());
		}
		try {
			CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Kafka did not acknowledge the membership changes", ex);
		}
		this.jdbc.sql("update segment.membership_outbox set published_at = now() where id in (:ids)")
			.param("ids", ids)
			.update();
		return rows.size();
	}

}
