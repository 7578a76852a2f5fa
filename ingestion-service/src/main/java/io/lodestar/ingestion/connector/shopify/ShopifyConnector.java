package io.lodestar.ingestion.connector.shopify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.connector.ConnectorRecord;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceAuthenticationException;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.connector.ratelimit.RetryAfter;
import io.lodestar.ingestion.connector.ratelimit.Sleeper;
import io.lodestar.ingestion.connector.ratelimit.Throttle;
import io.lodestar.ingestion.connector.ratelimit.ThrottledException;

/**
 * {@code shopify}: orders and customers over the GraphQL Admin API, incrementally by
 * {@code updated_at} (each resource its own high-water mark, re-read with a small overlap
 * for clock skew), paged by {@code endCursor}, paced by the query-cost bucket so a
 * throttle is waited out rather than hammered. Settings: {@code shopDomain}
 * ({@code my-shop.myshopify.com}), {@code startDate}, {@code resources} ({@code orders},
 * {@code customers}; default both), {@code overlapMinutes}. Credentials:
 * {@code accessToken} (an Admin API token with read_orders and read_customers).
 */
@Component
public class ShopifyConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "shopify";

	static final List<String> RESOURCES = List.of("orders", "customers");

	private final ConnectorProperties.Shopify shopify;

	private final Sleeper sleeper;

	ShopifyConnector(ConnectorProperties properties, Sleeper sleeper) {
		this.shopify = properties.shopify();
		this.sleeper = sleeper;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "shopDomain", "[a-z0-9][a-z0-9-]*\\.myshopify\\.com",
				"the shop's myshopify.com domain, e.g. my-shop.myshopify.com");
		settings.checkOptional(errors, "startDate", "date");
		settings.checkOptional(errors, "overlapMinutes", "integer>=0");
		JsonNode resources = settings.get("resources");
		if (!resources.isMissingNode() && !resources.isNull()) {
			boolean ok = resources.isArray() && !resources.isEmpty();
			if (ok) {
				for (JsonNode resource : resources) {
					ok &= RESOURCES.contains(resource.asString(""));
				}
			}
			if (!ok) {
				errors.add("settings.resources", "must be a non-empty list of " + RESOURCES);
			}
		}
		credentials.require(errors, "accessToken");
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		context.retrier()
			.call(() -> ShopifyOrdersPage.parse(context.json(),
					graphql(context, ShopifyOrdersPage.QUERY, 1, null, null), context.workspaceId(),
					context.connectorId(), context.clock().instant()));
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		Map<String, String> marks = readMarks(context);
		Map<String, String> next = new LinkedHashMap<>(marks);
		for (String resource : resources(context.settings())) {
			Optional<Instant> from = Optional.ofNullable(marks.get(resource))
				.map(Instant::parse)
				.map((mark) -> mark.minus(Duration.ofMinutes(context.settings().integer("overlapMinutes", 10))))
				.or(() -> context.settings()
					.date("startDate")
					.map((date) -> date.atStartOfDay().toInstant(java.time.ZoneOffset.UTC)));
			String filter = from.map((instant) -> "updated_at:>='" + instant + "'").orElse(null);
			Instant newest = "orders".equals(resource) ? pullOrders(context, sink, filter)
					: pullCustomers(context, sink, filter);
			if (newest != null && (marks.get(resource) == null || newest.isAfter(Instant.parse(marks.get(resource))))) {
				next.put(resource, newest.toString());
			}
		}
		ObjectNode watermark = context.json().createObjectNode();
		next.forEach(watermark::put);
		sink.watermark(watermark.toString());
	}

	private Instant pullOrders(ConnectorContext context, RecordSink sink, String filter) throws Exception {
		String cursor = null;
		Instant newest = null;
		do {
			String after = cursor;
			ShopifyOrdersPage page = context.retrier()
				.call(() -> ShopifyOrdersPage.parse(context.json(),
						graphql(context, ShopifyOrdersPage.QUERY, this.shopify.pageSize(), after, filter),
						context.workspaceId(), context.connectorId(), context.clock().instant()));
			emit(page.records(), sink);
			newest = max(newest, page.maxUpdatedAt());
			cursor = page.endCursor().orElse(null);
			pace(page.pause(), cursor);
		}
		while (cursor != null);
		return newest;
	}

	private Instant pullCustomers(ConnectorContext context, RecordSink sink, String filter) throws Exception {
		String cursor = null;
		Instant newest = null;
		do {
			String after = cursor;
			ShopifyCustomersPage page = context.retrier()
				.call(() -> ShopifyCustomersPage.parse(context.json(),
						graphql(context, ShopifyCustomersPage.QUERY, this.shopify.pageSize(), after, filter),
						context.workspaceId(), context.connectorId(), context.clock().instant()));
			emit(page.records(), sink);
			newest = max(newest, page.maxUpdatedAt());
			cursor = page.endCursor().orElse(null);
			pace(page.pause(), cursor);
		}
		while (cursor != null);
		return newest;
	}

	private void pace(Duration pause, String cursor) throws InterruptedException {
		if (cursor != null && !pause.isZero()) {
			this.sleeper.sleep(pause);
		}
	}

	private static void emit(List<ConnectorRecord> records, RecordSink sink) {
		records.forEach(sink::record);
		sink.page();
	}

	private static Instant max(Instant current, Optional<Instant> candidate) {
		return candidate.filter((instant) -> current == null || instant.isAfter(current)).orElse(current);
	}

	private String graphql(ConnectorContext context, String query, int first, String after, String filter)
			throws IOException, InterruptedException {
		ObjectNode variables = context.json().createObjectNode();
		variables.put("first", first);
		variables.put("after", after);
		variables.put("query", filter);
		ObjectNode body = context.json().createObjectNode();
		body.put("query", query);
		body.set("variables", variables);
		URI uri = URI.create(base(context.settings()) + "/admin/api/" + this.shopify.apiVersion() + "/graphql.json");
		HttpResponse<String> response = context.http()
			.send(HttpRequest.newBuilder(uri)
				.timeout(Duration.ofSeconds(60))
				.header("Content-Type", "application/json")
				.header("X-Shopify-Access-Token", context.credentials().get("accessToken"))
				.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		int status = response.statusCode();
		if (status == 401 || status == 403) {
			throw new SourceAuthenticationException("Shopify rejected the access token (HTTP " + status
					+ "): reinstall the app or issue a new Admin API token");
		}
		if (status == 429) {
			// a GraphQL throttle names its cost; a plain 429 may carry Retry-After
			if (response.body().contains("THROTTLED")) {
				return response.body();
			}
			throw new ThrottledException(
					RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), context.clock())
						.map((wait) -> Throttle.retryAfter(wait, "Shopify HTTP 429"))
						.orElseGet(() -> Throttle.transientLimit("Shopify HTTP 429")));
		}
		if (status >= 500) {
			throw new ThrottledException(Throttle.transientLimit("Shopify HTTP " + status));
		}
		if (status / 100 != 2) {
			throw new IllegalStateException("Shopify answered HTTP " + status);
		}
		return response.body();
	}

	private String base(ConnectorSettings settings) {
		String override = this.shopify.baseUrl();
		return (override != null && !override.isBlank()) ? override : "https://" + settings.requiredText("shopDomain");
	}

	private static List<String> resources(ConnectorSettings settings) {
		JsonNode resources = settings.get("resources");
		if (resources.isArray()) {
			return RESOURCES.stream()
				.filter((name) -> resources.valueStream().anyMatch((value) -> name.equals(value.asString(""))))
				.toList();
		}
		return RESOURCES;
	}

	private static Map<String, String> readMarks(ConnectorContext context) {
		Map<String, String> marks = new LinkedHashMap<>();
		context.watermark().ifPresent((text) -> {
			try {
				context.json()
					.readTree(text)
					.properties()
					.forEach((entry) -> marks.put(entry.getKey(), entry.getValue().asString()));
			}
			catch (JacksonException ex) {
				// an unreadable watermark reads everything again; record ids absorb it
			}
		});
		return marks;
	}

}
