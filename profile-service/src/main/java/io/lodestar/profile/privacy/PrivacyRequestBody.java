package io.lodestar.profile.privacy;

import java.util.Map;

/**
 * A privacy request as a client makes it.
 *
 * @param kind {@code access} or {@code erasure}
 * @param subject who it is about: exactly one of {@code profileId}, {@code userId},
 * {@code anonymousId}, {@code email}, {@code phone}, {@code deviceId}, {@code customerId}
 */
public record PrivacyRequestBody(String kind, Map<String, String> subject) {
}
