package io.lodestar.gateway.routing;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an {@value #HEADER} (keeping a well-formed one the client sent),
 * passes it to the service and returns it to the client, so one id follows a request
 * through the logs of every service and into the audit log. A web filter, so that it runs
 * first, before access checks and for the gateway's own endpoints too.
 */
@Component
class RequestIdFilter implements WebFilter, Ordered {

	static final String HEADER = "X-Request-Id";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String incoming = exchange.getRequest().getHeaders().getFirst(HEADER);
		String id = (incoming != null && incoming.matches("[A-Za-z0-9._-]{8,64}")) ? incoming
				: UUID.randomUUID().toString();
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(
				exchange.mutate().request((request) -> request.headers((headers) -> headers.set(HEADER, id))).build());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
