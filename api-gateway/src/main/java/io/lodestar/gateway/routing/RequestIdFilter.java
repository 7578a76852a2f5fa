package io.lodestar.gateway.routing;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

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
		String id = (incoming != null && incoming.matches("[A-Za-z0-9._-]{8,64}")) ? incoming : newId();
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(
				exchange.mutate().request((request) -> request.headers((headers) -> headers.set(HEADER, id))).build());
	}

	/**
	 * A random (version 4) UUID from a thread-local generator: request ids need to be
	 * unique, not unguessable, and the secure generator behind {@link UUID#randomUUID()}
	 * is shared by every request thread.
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
