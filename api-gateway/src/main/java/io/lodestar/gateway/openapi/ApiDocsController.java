package io.lodestar.gateway.openapi;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.routing.GatewayProperties;

/**
 * {@code GET /v3/api-docs}: the whole public API in one OpenAPI document, merged on each
 * request from the gateway's own document ({@code /v3/api-docs/gateway}) and every
 * service's {@code /v3/api-docs} (a service builds its document on the first request,
 * which can take seconds). A source that does not answer within 15 s is served from its
 * last good document, or, without one, left out and named in
 * {@code x-lodestar-unavailable}. Swagger UI at {@code /swagger-ui.html} shows it.
 */
@RestController
class ApiDocsController {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final WebClient web;

	private final JsonMapper json;

	private final Map<String, URI> services = new LinkedHashMap<>();

	private final Map<String, JsonNode> lastGood = new java.util.concurrent.ConcurrentHashMap<>();

	ApiDocsController(JsonMapper json, GatewayProperties properties) {
		this.web = WebClient.create();
		this.json = json;
		this.services.put("ingestion", properties.ingestionUrl());
		this.services.put("profile", properties.profileUrl());
		this.services.put("segment", properties.segmentUrl());
		this.services.put("recommender", properties.recommenderUrl());
		this.services.put("etl", properties.etlUrl());
	}

	@GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ObjectNode> document(ServerWebExchange exchange) {
		Map<String, URI> sources = new LinkedHashMap<>();
		int port = exchange.getRequest().getLocalAddress().getPort();
		sources.put("gateway", URI.create("http://127.0.0.1:" + port + "/v3/api-docs/gateway"));
		this.services.forEach((name, url) -> sources.put(name, url.resolve("/v3/api-docs")));
		return Flux.fromIterable(sources.entrySet())
			.flatMapSequential(
					(source) -> fetch(source.getValue()).map((document) -> Map.entry(source.getKey(), document)))
			.collectList()
			.map((fetched) -> {
				Map<String, JsonNode> documents = new LinkedHashMap<>();
				List<String> missing = new ArrayList<>();
				for (Map.Entry<String, Optional<JsonNode>> entry : fetched) {
					entry.getValue()
						.ifPresentOrElse((document) -> documents.put(entry.getKey(), document),
								() -> missing.add(entry.getKey()));
				}
				String version = Optional.ofNullable(getClass().getPackage().getImplementationVersion()).orElse("dev");
				return OpenApiMerger.merge(documents, missing, version);
			});
	}

	private Mono<Optional<JsonNode>> fetch(URI uri) {
		return this.web.get()
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.bodyToMono(String.class)
			.timeout(TIMEOUT)
			.map((body) -> Optional.of(this.json.readTree(body)))
			.filter((document) -> document.get().has("paths"))
			.defaultIfEmpty(Optional.empty())
			.onErrorReturn(Optional.empty());
	}

}
