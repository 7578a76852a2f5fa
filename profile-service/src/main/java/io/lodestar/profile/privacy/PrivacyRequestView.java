package io.lodestar.profile.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A privacy request's state.
 *
 * @param requestId its id
 * @param kind {@code access} or {@code erasure}
 * @param status {@code pending}, {@code running}, {@code completed} or {@code failed}
 * @param profileId the profile it is about (pseudonymous; cleared once an erasure
 * completes)
 * @param attempts attempts so far
 * @param requestedAt when it was made
 * @param startedAt when its first attempt started
 * @param completedAt when it completed or failed
 * @param error why the last attempt failed (no personal data)
 * @param result what was done, as counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrivacyRequestView(UUID requestId, String kind, String status, UUID profileId, int attempts,
		Instant requestedAt, Instant startedAt, Instant completedAt, String error, Map<String, Object> result) {
}
