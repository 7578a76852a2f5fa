package io.lodestar.ingestion.collector;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.ingestion.suppression.SuppressionList;
import io.lodestar.ingestion.system.IngestionProperties;
import io.lodestar.ingestion.writekey.WriteKeyOwner;
import io.lodestar.ingestion.writekey.WriteKeyService;

/**
 * One collector request: authenticate, parse, validate and enrich every message, publish
 * the valid ones and wait for Kafka, dead-letter the invalid ones.
 *
 * <p>
 * A batch with invalid messages: the valid ones are accepted (published and
 * acknowledged), the invalid ones are refused, and the answer is a 400 problem listing
 * each refused message by index with its reasons, plus the number accepted — nothing is
 * dropped silently. SDKs do not retry a 400; a retry would be deduplicated by messageId
 * anyway.
 *
 * <p>
 * An event that carries an identifier of an erased person (the suppression list) is
 * dropped and counted ({@code outcome=suppressed}); the client still gets its 200, as it
 * would for any accepted event, so that it does not retry.
 */
@Service
class CollectorService {

	private final WriteKeyService writeKeys;

	private final EventPublisher publisher;

	private final JsonMapper json;

	private final IngestionProperties properties;

	private final MessageNormalizer normalizer;

	private final MeterRegistry meters;

	private final Clock clock;

	private final WorkspaceRateLimiter rateLimiter;

	private final RequestParser parser;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final SuppressionList suppressions;

	CollectorService(WriteKeyService writeKeys, EventPublisher publisher, JsonMapper json,
			IngestionProperties properties, MeterRegistry meters, SuppressionList suppressions) {
		this.writeKeys = writeKeys;
		this.suppressions = suppressions;
		this.publisher = publisher;
		this.json = json;
		this.properties = properties;
		this.normalizer = new MessageNormalizer(properties.limits().maxMessageBytes());
		this.parser = new RequestParser(json, properties.limits().maxBatchMessages());
		this.meters = meters;
		this.clock = Clock.systemUTC();
		IngestionProperties.RateLimit limit = properties.rateLimit();
		this.rateLimiter = new WorkspaceRateLimiter((limit != null) ? limit.messagesPerSecond() : 0,
				(limit != null) ? limit.burst() : 0, this.clock);
	}

	/**
	 * @param route the route, e.g. {@code /v1/track}
	 * @param type the route's message type, or null for a batch
	 * @param body the (decompressed) body
	 * @param basicWriteKey the write key from HTTP Basic, or null
	 * @param clientIp the client's address
	 * @return the number of accepted messages
	 */
	int collect(String route, EventType type, byte[] body, String basicWriteKey, String clientIp) {
		Instant receivedAt = this.clock.instant();
		WriteKeyOwner owner = (basicWriteKey != null) ? authenticate(basicWriteKey) : null;
		RequestParser.ParsedRequest request = this.parser.parse(body, type == null);
		JsonNode root = request.root();
		if (owner == null) {
			JsonNode bodyKey = root.get("writeKey");
			if (bodyKey == null || !bodyKey.isString()) {
				throw CollectorException
					.unauthorized("a write key is required: HTTP Basic username, or writeKey in the body");
			}
			owner = authenticate(bodyKey.asString());
		}
		List<JsonNode> messages = request.messages();
		long wait = this.rateLimiter.acquire(owner.workspaceId(), messages.size());
		if (wait > 0) {
			count(route, "rate_limited", messages.size());
			throw CollectorException.rateLimited(wait);
		}
		JsonNode batch = (type == null) ? root : null;
		List<EventEnvelope> accepted = new ArrayList<>(messages.size());
		List<Map<String, Object>> refused = new ArrayList<>();
		List<RejectedEvent> deadLetters = new ArrayList<>();
		int suppressed = 0;
		for (int i = 0; i < messages.size(); i++) {
			MessageNormalizer.Result result = this.normalizer.normalize(messages.get(i), request.sizes().get(i), type,
					batch, owner, clientIp, receivedAt);
			if (result.envelope() != null) {
				if (this.suppressions.suppressed(result.envelope())) {
					suppressed++;
				}
				else {
					accepted.add(result.envelope());
				}
			}
			else {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("index", i);
				entry.put("reasons", result.reasons());
				refused.add(entry);
				result.reasons().forEach((reason) -> countReason(route, reason));
				deadLetters.add(new RejectedEvent(owner.workspaceId(), owner.sourceId(), receivedAt, route, i,
						result.reasons(), truncate(this.json.writeValueAsString(messages.get(i)))));
			}
		}
		if (!accepted.isEmpty()) {
			this.publisher.publish(accepted);
		}
		count(route, "accepted", accepted.size());
		count(route, "suppressed", suppressed);
		if (!refused.isEmpty()) {
			this.publisher.publishRejected(deadLetters);
			count(route, "rejected", refused.size());
			throw CollectorException.invalidMessages(refused, accepted.size());
		}
		return accepted.size();
	}

	private WriteKeyOwner authenticate(String writeKey) {
		return this.writeKeys.authenticate(writeKey)
			.orElseThrow(() -> CollectorException.unauthorized("unknown or revoked write key"));
	}

	private void count(String route, String outcome, int n) {
		if (n > 0) {
			this.counters
				.computeIfAbsent(route + ' ' + outcome,
						(key) -> this.meters.counter("lodestar.collector.messages", "route", route, "outcome", outcome))
				.increment(n);
		}
	}

	/**
	 * Rejections by route and reason (reasons are a fixed set of sentences naming
	 * fields).
	 */
	private void countReason(String route, String reason) {
		this.counters
			.computeIfAbsent("reason " + route + ' ' + reason,
					(key) -> this.meters.counter("lodestar.collector.rejections", "route", route, "reason", reason))
			.increment();
	}

	private String truncate(String message) {
		int max = this.properties.limits().maxMessageBytes();
		return (message.length() <= max) ? message : message.substring(0, max);
	}

}
