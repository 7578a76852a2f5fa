package io.lodestar.gateway.system;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * An error the gateway answers itself, written as RFC 9457 problem JSON by
 * {@link ProblemErrorHandler}: a stable type slug, a title, a detail safe to show, and
 * response headers such as {@code Retry-After} or {@code WWW-Authenticate}.
 */
public class GatewayProblem extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final Map<String, String> headers;

	public GatewayProblem(HttpStatus status, String type, String title, String detail) {
		this(status, type, title, detail, Map.of());
	}

	public GatewayProblem(HttpStatus status, String type, String title, String detail, Map<String, String> headers) {
		super(detail, null, false, false);
		this.status = status;
		this.type = type;
		this.title = title;
		this.headers = Map.copyOf(headers);
	}

	public static GatewayProblem unauthorized(String detail) {
		return new GatewayProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail,
				Map.of("WWW-Authenticate", "Bearer realm=\"lodestar\""));
	}

	public static GatewayProblem forbidden(String detail) {
		return new GatewayProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
	}

	public static GatewayProblem badRequest(String detail) {
		return new GatewayProblem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
	}

	public static GatewayProblem notFound(String detail) {
		return new GatewayProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String type() {
		return this.type;
	}

	public String title() {
		return this.title;
	}

	public Map<String, String> headers() {
		return this.headers;
	}

}
