package io.lodestar.profile.consent;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.profile.lookup.ProfileService;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code GET} and {@code PUT /v1/profiles/{profileId}/consent}. A decision older than the
 * one already recorded for its purpose is kept out (the latest decision wins, whatever
 * the order of arrival); a merged-away id answers for the surviving profile.
 */
@RestController
@RequestMapping("/v1/profiles/{profileId}/consent")
class ConsentController {

	static final Set<String> PURPOSES = Set.of("analytics", "marketing", "personalisation");

	private final ProfileService profiles;

	private final JdbcClient jdbc;

	private final Clock clock;

	ConsentController(ProfileService profiles, JdbcClient jdbc) {
		this.profiles = profiles;
		this.jdbc = jdbc;
		this.clock = Clock.systemUTC();
	}

	@GetMapping
	ConsentResponse get(Workspace workspace, @PathVariable UUID profileId) {
		UUID survivor = survivor(workspace, profileId);
		return new ConsentResponse(survivor, this.profiles.consent(workspace, survivor));
	}

	@PutMapping
	@Transactional
	ConsentResponse put(Workspace workspace, @PathVariable UUID profileId, @RequestBody ConsentUpdate update) {
		if (update.purposes() == null || update.purposes().isEmpty()) {
			throw invalid("/purposes", "give at least one purpose: analytics, marketing or personalisation");
		}
		Instant now = this.clock.instant();
		for (Map.Entry<String, ConsentUpdate.Decision> entry : update.purposes().entrySet()) {
			String pointer = "/purposes/" + entry.getKey();
			ConsentUpdate.Decision decision = entry.getValue();
			if (!PURPOSES.contains(entry.getKey())) {
				throw invalid(pointer, "purposes are analytics, marketing and personalisation");
			}
			if (decision == null || decision.granted() == null) {
				throw invalid(pointer + "/granted", "granted (true or false) is required");
			}
			if (decision.source() == null || decision.source().isBlank() || decision.source().length() > 64) {
				throw invalid(pointer + "/source", "source is required, 1-64 characters");
			}
			if (decision.recordedAt() != null && decision.recordedAt().isAfter(now.plusSeconds(300))) {
				throw invalid(pointer + "/recordedAt", "recordedAt is in the future");
			}
		}
		UUID survivor = survivor(workspace, profileId);
		update.purposes()
			.forEach((purpose, decision) -> this.jdbc
				.sql("""
						insert into profile.profile_consent (workspace_id, profile_id, purpose, granted, source, recorded_at)
						values (:workspace, :profile, :purpose, :granted, :source, :recordedAt)
						on conflict (workspace_id, profile_id, purpose) do update
						   set granted = excluded.granted, source = excluded.source, recorded_at = excluded.recorded_at
						 where profile_consent.recorded_at <= excluded.recorded_at""")
				.param("workspace", workspace.id())
				.param("profile", survivor)
				.param("purpose", purpose)
				.param("granted", decision.granted())
				.param("source", decision.source())
				.param("recordedAt", Timestamp.from((decision.recordedAt() != null) ? decision.recordedAt() : now))
				.update());
		return new ConsentResponse(survivor, this.profiles.consent(workspace, survivor));
	}

	private UUID survivor(Workspace workspace, UUID profileId) {
		return this.profiles.resolve(workspace, profileId)
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
					Problems.of(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found", "profile " + profileId),
					null));
	}

	private static BadRequestException invalid(String pointer, String reason) {
		BadRequestException exception = new BadRequestException("invalid-consent", "Invalid consent", reason);
		exception.getBody().setProperty("pointer", pointer);
		return exception;
	}

}
