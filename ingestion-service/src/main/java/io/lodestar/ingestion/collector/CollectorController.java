package io.lodestar.ingestion.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.contracts.event.EventType;
import io.lodestar.ingestion.system.IngestionProperties;

/**
 * The tracking API, drop-in compatible with Segment's:
 * {@code POST /v1/track|identify|page|
 * screen|group|alias|batch|import} and the browser SDK's one-letter routes. Bodies may be
 * {@code application/json} or {@code text/plain}, optionally gzip-encoded.
 */
@RestController
class CollectorController {

	private static final Map<String, Object> SUCCESS = Map.of("success", true);

	private final CollectorService collector;

	private final IngestionProperties properties;

	CollectorController(CollectorService collector, IngestionProperties properties) {
		this.collector = collector;
		this.properties = properties;
	}

	@PostMapping({ "/v1/track", "/v1/t", "/v1/track/" })
	Map<String, Object> track(HttpServletRequest request) throws IOException {
		return collect(request, EventType.TRACK);
	}

	@PostMapping({ "/v1/identify", "/v1/i", "/v1/identify/" })
	Map<String, Object> identify(HttpServletRequest request) throws IOException {
		return collect(request, EventType.IDENTIFY);
	}

	@PostMapping({ "/v1/page", "/v1/p", "/v1/page/" })
	Map<String, Object> page(HttpServletRequest request) throws IOException {
		return collect(request, EventType.PAGE);
	}

	@PostMapping({ "/v1/screen", "/v1/s", "/v1/screen/" })
	Map<String, Object> screen(HttpServletRequest request) throws IOException {
		return collect(request, EventType.SCREEN);
	}

	@PostMapping({ "/v1/group", "/v1/g", "/v1/group/" })
	Map<String, Object> group(HttpServletRequest request) throws IOException {
		return collect(request, EventType.GROUP);
	}

	@PostMapping({ "/v1/alias", "/v1/a", "/v1/alias/" })
	Map<String, Object> alias(HttpServletRequest request) throws IOException {
		return collect(request, EventType.ALIAS);
	}

	@PostMapping({ "/v1/batch", "/v1/import", "/v1/b", "/v1/batch/", "/v1/import/" })
	Map<String, Object> batch(HttpServletRequest request) throws IOException {
		return collect(request, null);
	}

	private Map<String, Object> collect(HttpServletRequest request, EventType type) throws IOException {
		int limit = (type == null) ? this.properties.limits().maxRequestBytes()
				: this.properties.limits().maxMessageBytes();
		if (request.getContentLengthLong() > limit && request.getHeader(HttpHeaders.CONTENT_ENCODING) == null) {
			throw CollectorException.tooLarge("the request body is larger than " + limit / 1000 + " KB");
		}
		byte[] body = RequestBodies.read(request.getInputStream(), request.getHeader(HttpHeaders.CONTENT_ENCODING),
				limit);
		this.collector.collect(request.getRequestURI(), type, body, basicUsername(request), clientIp(request));
		return SUCCESS;
	}

	/** The write key of HTTP Basic auth: the username, the password being empty. */
	private static String basicUsername(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		try {
			String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			return (colon >= 0) ? decoded.substring(0, colon) : decoded;
		}
		catch (IllegalArgumentException ex) {
			throw CollectorException.unauthorized("the Authorization header is not valid Basic credentials");
		}
	}

	/**
	 * The client's address: the first X-Forwarded-For hop (set by the gateway), else the
	 * peer.
	 */
	private static String clientIp(HttpServletRequest request) {
		String forwarded = request.getHeader("X-Forwarded-For");
		if (forwarded != null && !forwarded.isBlank()) {
			return forwarded.split(",")[0].trim();
		}
		return request.getRemoteAddr();
	}

}
