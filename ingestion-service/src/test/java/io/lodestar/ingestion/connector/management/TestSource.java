package io.lodestar.ingestion.connector.management;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.contracts.connector.ConnectorRecordKind;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.QuotaExhaustedException;

/**
 * A source kind for the framework's own tests: its settings say how many customer rows a
 * run emits, which watermark it reports, and how its first runs fail.
 */
class TestSource implements SourceConnector {

	static final String KIND = "test-source";

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		credentials.require(errors, "token");
		settings.checkOptional(errors, "rows", "integer>=0");
	}

	@Override
	public void check(ConnectorContext context) {
		if ("bad".equals(context.credentials().get("token"))) {
			throw new SourceAuthenticationException("the test source rejected the token");
		}
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) {
		int run = this.runs.computeIfAbsent(context.connectorId(), (id) -> new AtomicInteger()).incrementAndGet();
		String fail = context.settings().text("fail").orElse("");
		int failRuns = context.settings().integer("failRuns", Integer.MAX_VALUE);
		int rows = context.settings().integer("rows", 3);
		for (int i = 0; i < rows; i++) {
			sink.record(ConnectorRecord.of(ConnectorRecordKind.CUSTOMER, context.workspaceId(), context.connectorId(),
					KIND, context.connectorId() + ":" + i, context.clock().instant(),
					Map.of("customerId", context.connectorId() + ":" + i)));
		}
		sink.page();
		if (run <= failRuns) {
			switch (fail) {
				case "malformed" -> throw new MalformedPageException("data[0].id is missing or not a string");
				case "auth" -> throw new SourceAuthenticationException(
						"the source rejected token " + context.credentials().get("token"));
				case "quota" -> throw new QuotaExhaustedException(context.clock().instant().plusSeconds(3600),
						"test quota per day");
				default -> {
				}
			}
		}
		sink.watermark("w" + run + "@" + context.clock().instant());
	}

	int runs(String connectorId) {
		AtomicInteger count = this.runs.get(connectorId);
		return (count != null) ? count.get() : 0;
	}

	static Instant epoch() {
		return Instant.EPOCH;
	}

}
