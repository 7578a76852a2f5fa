package io.lodestar.gateway.access;

import java.time.Clock;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.WebFilter;

/**
 * The clock, CORS for the configured browser origins, and the security headers on every
 * response.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class AccessConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Runs before the access filter so that a browser's preflight is answered without
	 * credentials.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 5)
	CorsWebFilter corsWebFilter(SecurityProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!properties.corsOrigins().isEmpty()) {
			CorsConfiguration cors = new CorsConfiguration();
			cors.setAllowedOrigins(properties.corsOrigins());
			cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
			cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Lodestar-Workspace",
					"X-Api-Key", "X-Request-Id"));
			cors.setExposedHeaders(List.of("X-Request-Id", "Retry-After", "Location"));
			cors.setMaxAge(3600L);
			source.registerCorsConfiguration("/v1/**", cors);
		}
		return new CorsWebFilter(source);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	WebFilter securityHeaders() {
		return (exchange, chain) -> {
			exchange.getResponse().beforeCommit(() -> {
				HttpHeaders headers = exchange.getResponse().getHeaders();
				headers.set("X-Content-Type-Options", "nosniff");
				headers.set("X-Frame-Options", "DENY");
				headers.set("Referrer-Policy", "no-referrer");
				headers.set("Cross-Origin-Opener-Policy", "same-origin");
				headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
				boolean api = exchange.getRequest().getPath().value().startsWith("/v1/");
				if (api && headers.getCacheControl() == null) {
					headers.setCacheControl("no-store");
				}
				if (!api) {
					// the dashboard: its own scripts and styles only; charts draw inline
					// styles
					headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; "
							+ "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'");
				}
				if ("https".equals(exchange.getRequest().getURI().getScheme())) {
					headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
				}
				return Mono.empty();
			});
			return chain.filter(exchange);
		};
	}

}
