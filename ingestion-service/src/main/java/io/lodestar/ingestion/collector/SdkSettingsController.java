package io.lodestar.ingestion.collector;

import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponents;

import io.lodestar.web.Problems;
import io.lodestar.ingestion.writekey.WriteKeyService;

/**
 * {@code GET /v1/projects/{writeKey}/settings}: the settings the browser SDK
 * ({@code @segment/analytics-next}) loads before it sends anything, pointing its
 * {@code Segment.io} destination at this host, so the SDK can be loaded with
 * {@code cdnURL} set to Lodestar.
 */
@RestController
class SdkSettingsController {

	private final WriteKeyService writeKeys;

	SdkSettingsController(WriteKeyService writeKeys) {
		this.writeKeys = writeKeys;
	}

	@GetMapping("/v1/projects/{writeKey}/settings")
	ResponseEntity<Map<String, Object>> settings(@PathVariable String writeKey) {
		if (this.writeKeys.authenticate(writeKey).isEmpty()) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
					"unknown-write-key", "Unknown write key", "no source has this write key"), null);
		}
		UriComponents here = ServletUriComponentsBuilder.fromCurrentContextPath().build();
		String host = here.getHost() + ((here.getPort() > 0) ? ":" + here.getPort() : "");
		Map<String, Object> segmentIo = Map.of("apiKey", writeKey, "apiHost", host + "/v1", "protocol",
				here.getScheme(), "unbundledIntegrations", List.of(), "addBundledMetadata", true,
				"maybeBundledConfigIds", Map.of());
		Map<String, Object> enabled = Map.of("__default", Map.of("enabled", true, "integrations", Map.of()));
		Map<String, Object> body = Map.of("integrations", Map.of("Segment.io", segmentIo), "plan",
				Map.of("track", enabled, "identify", enabled, "group", enabled), "edgeFunction", Map.of(),
				"analyticsNextEnabled", true, "middlewareSettings", Map.of(), "enabledMiddleware", Map.of(), "metrics",
				Map.of("sampleRate", 0), "remotePlugins", List.of());
		return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5))).body(body);
	}

}
