package io.lodestar.gateway.routing;

import java.net.URI;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.route.builder.UriSpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import io.lodestar.gateway.access.SecurityProperties;

/**
 * The public paths and the service behind each. Outside the collector (which enforces its
 * own limits) a request body may be at most {@code max-request-bytes}.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

	/** Where the access filter puts the checked workspace. */
	private static final String WORKSPACE = "X-Lodestar-Workspace";

	@Bean
	RouteLocator routes(RouteLocatorBuilder builder, GatewayProperties services, SecurityProperties security) {
		DataSize limit = DataSize.ofBytes(security.maxRequestBytes());
		java.util.function.Function<GatewayFilterSpec, UriSpec> limited = (filters) -> filters.setRequestSize(limit);
		return builder.routes()
			.route("collector", (route) -> route.path(CollectorPaths.ALL).uri(services.ingestionUrl()))
			.route("write-keys",
					(route) -> route.path("/v1/write-keys", "/v1/write-keys/**")
						.filters((filters) -> filters.setRequestSize(limit).filter(writeKeysOfWorkspace()))
						.uri(services.ingestionUrl()))
			.route("connectors",
					(route) -> route.path("/v1/connectors", "/v1/connectors/**")
						.filters(limited)
						.uri(services.ingestionUrl()))
			.route("profiles",
					(route) -> route.path("/v1/profiles", "/v1/profiles/**")
						.filters(limited)
						.uri(services.profileUrl()))
			.route("privacy", (route) -> route.path("/v1/privacy/**").filters(limited).uri(services.profileUrl()))
			.route("ltv", (route) -> route.path("/v1/ltv/**").filters(limited).uri(services.profileUrl()))
			.route("analytics", (route) -> route.path("/v1/analytics/**").filters(limited).uri(services.profileUrl()))
			.route("segments",
					(route) -> route.path("/v1/segments", "/v1/segments/**")
						.filters(limited)
						.uri(services.segmentUrl()))
			.route("recommendations",
					(route) -> route.path("/v1/recommendations", "/v1/recommendations/**")
						.filters(limited)
						.uri(services.recommenderUrl()))
			.route("jobs", (route) -> route.path("/v1/jobs", "/v1/jobs/**").filters(limited).uri(services.etlUrl()))
			.build();
	}

	/**
	 * The collector manages write keys per workspace on an internal path; the public path
	 * acts on the caller's checked workspace only.
	 */
	static GatewayFilter writeKeysOfWorkspace() {
		return (exchange, chain) -> {
			String workspace = exchange.getRequest().getHeaders().getFirst(WORKSPACE);
			String rest = exchange.getRequest().getPath().value().substring("/v1/write-keys".length());
			URI rewritten = URI.create("/internal/v1/workspaces/" + workspace + "/write-keys" + rest);
			return chain.filter(exchange.mutate().request((request) -> request.path(rewritten.getRawPath())).build());
		};
	}

}
