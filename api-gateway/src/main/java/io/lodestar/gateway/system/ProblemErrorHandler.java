package io.lodestar.gateway.system;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Errors of the gateway itself as RFC 9457 problem JSON: a service that cannot be reached
 * is a 503, a path no route serves a 404, a {@link GatewayProblem} (401, 403, 429 …) as
 * it says; anything else a 500 that says nothing internal.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

	private final JsonMapper json;

	ProblemErrorHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = problem(ex);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (ex instanceof GatewayProblem gatewayProblem) {
			gatewayProblem.headers().forEach((name, value) -> exchange.getResponse().getHeaders().set(name, value));
		}
		if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			exchange.getResponse().getHeaders().set("Retry-After", "5");
		}
		byte[] body = this.json
			.writeValueAsBytes(Map.of("type", problem.getType().toString(), "title", problem.getTitle(), "status",
					problem.getStatus(), "detail", problem.getDetail(), "instance", problem.getInstance().toString()));
		return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
	}

	private static ProblemDetail problem(Throwable ex) {
		if (ex instanceof GatewayProblem gatewayProblem) {
			return of(gatewayProblem.status(), gatewayProblem.type(), gatewayProblem.title(),
					gatewayProblem.getMessage());
		}
		if (causedBy(ex, ConnectException.class)) {
			return of(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
					"the service for this path cannot be reached; retry later");
		}
		if (ex instanceof ResponseStatusException status) {
			HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
			if (code == HttpStatus.NOT_FOUND) {
				return of(code, "not-found", "Not found", "no resource at this path");
			}
			if (code != null && code.is4xxClientError()) {
				return of(code, "bad-request", code.getReasonPhrase(), status.getReason());
			}
			if (code == HttpStatus.SERVICE_UNAVAILABLE || code == HttpStatus.GATEWAY_TIMEOUT) {
				return of(code, "service-unavailable", "Service unavailable",
						"the service for this path did not answer; retry later");
			}
		}
		log.error("Unexpected gateway error", ex);
		return of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"the request could not be completed");
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("https://lodestar.io/problems/" + type));
		problem.setTitle(title);
		return problem;
	}

}
