package io.lodestar.gateway.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The public paths and the service behind each.
 */
@Configuration(proxyBeanMethods = false)
class RoutesConfiguration {

	/**
	 * The long routes with and without a trailing slash (the Segment Java client posts to
	 * /v1/import/).
	 */
	static final String[] COLLECTOR_PATHS = { "/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group",
			"/v1/alias", "/v1/batch", "/v1/import", "/v1/track/", "/v1/identify/", "/v1/page/", "/v1/screen/",
			"/v1/group/", "/v1/alias/", "/v1/batch/", "/v1/import/", "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g",
			"/v1/a", "/v1/b", "/v1/projects/**" };

	@Bean
	RouteLocator routes(RouteLocatorBuilder builder, GatewayProperties services) {
		return builder.routes()
			.route("collector", (route) -> route.path(COLLECTOR_PATHS).uri(services.ingestionUrl()))
			.route("profiles", (route) -> route.path("/v1/profiles", "/v1/profiles/**").uri(services.profileUrl()))
			.route("privacy", (route) -> route.path("/v1/privacy/**").uri(services.profileUrl()))
			.route("ltv", (route) -> route.path("/v1/ltv/**").uri(services.profileUrl()))
			.route("segments", (route) -> route.path("/v1/segments", "/v1/segments/**").uri(services.segmentUrl()))
			.route("recommendations",
					(route) -> route.path("/v1/recommendations", "/v1/recommendations/**")
						.uri(services.recommenderUrl()))
			.route("jobs", (route) -> route.path("/v1/jobs", "/v1/jobs/**").uri(services.etlUrl()))
			.build();
	}

}
