package io.lodestar.profile.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.profile.system.BadRequestException;
import io.lodestar.profile.system.Problems;
import io.lodestar.profile.system.Workspace;

/**
 * {@code GET /v1/profiles/{profileId}} and
 * {@code GET /v1/profiles?userId=…|anonymousId=…}.
 */
@RestController
@RequestMapping("/v1/profiles")
class ProfileController {

	private final ProfileService profiles;

	ProfileController(ProfileService profiles) {
		this.profiles = profiles;
	}

	@GetMapping("/{profileId}")
	ProfileResponse byId(Workspace workspace, @PathVariable UUID profileId) {
		return this.profiles.byId(workspace, profileId).orElseThrow(() -> notFound("profile " + profileId));
	}

	@GetMapping
	ProfileResponse byIdentifier(Workspace workspace, @RequestParam(required = false) String userId,
			@RequestParam(required = false) String anonymousId) {
		List<IdentifierKind> given = new ArrayList<>();
		if (userId != null) {
			given.add(IdentifierKind.USER_ID);
		}
		if (anonymousId != null) {
			given.add(IdentifierKind.ANONYMOUS_ID);
		}
		if (given.size() != 1) {
			throw new BadRequestException("invalid-lookup", "Invalid lookup",
					"give exactly one identifier: userId or anonymousId");
		}
		IdentifierKind kind = given.get(0);
		String value = (kind == IdentifierKind.USER_ID) ? userId : anonymousId;
		if (value.isBlank() || value.length() > 255) {
			throw new BadRequestException("invalid-lookup", "Invalid lookup",
					kind.parameter() + " must be 1-255 characters");
		}
		return this.profiles.byIdentifier(workspace, kind, value)
			.orElseThrow(() -> notFound("no profile has this " + kind.parameter()));
	}

	private static ErrorResponseException notFound(String detail) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				Problems.of(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found", detail), null);
	}

}
