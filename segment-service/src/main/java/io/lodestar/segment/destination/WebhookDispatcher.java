package io.lodestar.segment.destination;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.lodestar.web.BadRequestException;

/**
 * Delivers queued entries and exits to due destinations, one batch per destination and
 * transaction: the destination row is locked ({@code skip locked}, so several instances
 * share the work), the oldest changes are posted in order, signed, and deleted from the
 * queue only on a 2xx. A failure keeps the batch and backs off exponentially with jitter
 * (at least the endpoint's {@code Retry-After}, at most {@code max-backoff}); the next
 * batch waits, so order holds. Entries of people without marketing consent are not sent;
 * exits always are. Every attempt goes to the delivery log.
 */
@Component
class WebhookDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDispatcher.class);

	private static final int MAX_BATCHES_PER_RUN = 100;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final WebhookTargets targets;

	private final WebhookProperties properties;

	private final JsonMapper json;

	private final HttpClient http;

	WebhookDispatcher(JdbcClient jdbc, TransactionTemplate transactions, WebhookTargets targets,
			WebhookProperties properties, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.targets = targets;
		this.properties = properties;
		this.json = json;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Scheduled(fixedDelayString = "${lodestar.segment.webhooks.dispatch-interval:1s}")
	void dispatchDue() {
		try {
			for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
				if (!Boolean.TRUE.equals(this.transactions.execute((status) -> dispatchOne()))) {
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Webhook dispatch interrupted ({}); retrying", ex.getClass().getSimpleName());
		}
	}

	/**
	 * @return whether a destination was due
	 */
	boolean dispatchOne() {
		Optional<Map<String, Object>> due = this.jdbc.sql("""
				select destination_id, workspace_id, segment_id, url, signing_secret, batch_size, consecutive_failures
				  from segment.destination d
				 where enabled and next_attempt_at <= now()
				   and exists (select 1 from segment.destination_queue q where q.destination_id = d.destination_id)
				 order by next_attempt_at limit 1 for update skip locked""").query().listOfRows().stream().findFirst();
		if (due.isEmpty()) {
			return false;
		}
		Map<String, Object> destination = due.get();
		UUID destinationId = (UUID) destination.get("destination_id");
		List<Map<String, Object>> queued = this.jdbc.sql("""
				select q.id, q.profile_id, q.change, q.at, p.user_id, p.traits ->> 'email' as email,
				       coalesce(c.granted, false) as marketing
				  from segment.destination_queue q
				  left join profile.profile p on p.workspace_id = q.workspace_id and p.profile_id = q.profile_id
				  left join profile.profile_consent c on c.workspace_id = q.workspace_id and c.profile_id = q.profile_id
				       and c.purpose = 'marketing'
				 where q.destination_id = :id order by q.id limit :batch""")
			.param("id", destinationId)
			.param("batch", destination.get("batch_size"))
			.query()
			.listOfRows();
		long lastId = ((Number) queued.get(queued.size() - 1).get("id")).longValue();
		List<Map<String, Object>> changes = new ArrayList<>();
		int skipped = 0;
		for (Map<String, Object> row : queued) {
			boolean entered = "entered".equals(row.get("change"));
			boolean consented = Boolean.TRUE.equals(row.get("marketing"));
			if (entered && !consented) {
				skipped++;
				continue;
			}
			Map<String, Object> change = new LinkedHashMap<>();
			change.put("queueId", row.get("id"));
			change.put("change", row.get("change"));
			change.put("profileId", row.get("profile_id").toString());
			change.put("userId", row.get("user_id"));
			if (consented && row.get("email") != null) {
				change.put("email", row.get("email"));
			}
			change.put("at", ((Timestamp) row.get("at")).toInstant().toString());
			changes.add(change);
		}
		if (changes.isEmpty()) {
			dequeue(destinationId, lastId);
			return true;
		}
		deliver(destination, changes, skipped, lastId);
		return true;
	}

	private void deliver(Map<String, Object> destination, List<Map<String, Object>> changes, int skipped, long lastId) {
		UUID destinationId = (UUID) destination.get("destination_id");
		UUID deliveryId = UUID.randomUUID();
		int attempt = ((Number) destination.get("consecutive_failures")).intValue() + 1;
		String segmentName = this.jdbc.sql("select name from segment.segment where segment_id = :id")
			.param("id", destination.get("segment_id"))
			.query(String.class)
			.optional()
			.orElse(null);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("deliveryId", deliveryId.toString());
		payload.put("destinationId", destinationId.toString());
		payload.put("workspaceId", destination.get("workspace_id"));
		payload.put("segment", Map.of("segmentId", destination.get("segment_id").toString(), "name",
				(segmentName != null) ? segmentName : ""));
		payload.put("changes", changes);
		byte[] body = this.json.writeValueAsBytes(payload);
		long started = System.nanoTime();
		Instant now = Instant.now();
		Integer status = null;
		String error = null;
		Duration retryAfter = Duration.ZERO;
		try {
			URI url = this.targets.check((String) destination.get("url"));
			HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(url)
				.timeout(this.properties.timeout())
				.header("Content-Type", "application/json")
				.header("User-Agent", "Lodestar-Webhooks/1")
				.header("X-Lodestar-Delivery", deliveryId.toString())
				.header(WebhookSigner.HEADER,
						WebhookSigner.sign((String) destination.get("signing_secret"), now.getEpochSecond(), body))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding());
			status = response.statusCode();
			if (status < 200 || status >= 300) {
				error = "the endpoint answered " + status;
				retryAfter = response.headers()
					.firstValue("Retry-After")
					.filter((value) -> value.matches("\\d{1,6}"))
					.map((value) -> Duration.ofSeconds(Long.parseLong(value)))
					.orElse(Duration.ZERO);
			}
		}
		catch (BadRequestException ex) {
			error = "the endpoint may not be called: " + ex.getBody().getDetail();
		}
		catch (IOException ex) {
			error = "the endpoint could not be reached (" + ex.getClass().getSimpleName() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			error = "interrupted";
		}
		long durationMs = (System.nanoTime() - started) / 1_000_000;
		Instant retryAt = null;
		if (error == null) {
			dequeue(destinationId, lastId);
			this.jdbc
				.sql("update segment.destination set consecutive_failures = 0, next_attempt_at = now(), "
						+ "last_delivered_at = now() where destination_id = :id")
				.param("id", destinationId)
				.update();
		}
		else {
			retryAt = now.plus(backoff(attempt, retryAfter));
			this.jdbc
				.sql("update segment.destination set consecutive_failures = consecutive_failures + 1, "
						+ "next_attempt_at = :retry where destination_id = :id")
				.param("retry", Timestamp.from(retryAt))
				.param("id", destinationId)
				.update();
			logger.info("Webhook delivery {} to destination {} failed (attempt {}, status {}); retry at {}", deliveryId,
					destinationId, attempt, status, retryAt);
		}
		this.jdbc
			.sql("""
					insert into segment.delivery (delivery_id, destination_id, attempted_at, attempt, changes, skipped, outcome,
					                              http_status, error, duration_ms, retry_at)
					values (:id, :destination, :at, :attempt, :changes, :skipped, :outcome, :status, :error, :duration, :retry)""")
			.param("id", deliveryId)
			.param("destination", destinationId)
			.param("at", Timestamp.from(now))
			.param("attempt", attempt)
			.param("changes", changes.size())
			.param("skipped", skipped)
			.param("outcome", (error == null) ? "delivered" : "failed")
			.param("status", status)
			.param("error", error)
			.param("duration", durationMs)
			.param("retry", (retryAt != null) ? Timestamp.from(retryAt) : null)
			.update();
	}

	/**
	 * 1 s, 2 s, 4 s … up to {@code max-backoff}, ±20 % jitter, never sooner than the
	 * endpoint asked.
	 */
	Duration backoff(int attempt, Duration retryAfter) {
		long base = 1000L << Math.min(attempt - 1, 20);
		long capped = Math.min(base, this.properties.maxBackoff().toMillis());
		long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
		return Duration
			.ofMillis(Math.max(jittered, Math.min(retryAfter.toMillis(), this.properties.maxBackoff().toMillis())));
	}

	private void dequeue(UUID destinationId, long lastId) {
		this.jdbc.sql("delete from segment.destination_queue where destination_id = :id and id <= :last")
			.param("id", destinationId)
			.param("last", lastId)
			.update();
	}

}
