package io.lodestar.profile.consent;

import java.util.Map;
import java.util.UUID;

import io.lodestar.profile.lookup.ProfileResponse;

/**
 * A profile's consent state.
 *
 * @param profileId the (surviving) profile
 * @param purposes the latest decision per purpose; purposes never decided are absent
 */
public record ConsentResponse(UUID profileId, Map<String, ProfileResponse.ConsentState> purposes) {
}
