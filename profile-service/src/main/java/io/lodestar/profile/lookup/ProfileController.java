package io.lodestar.profile.lookup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.contracts.identity.LookupParameter;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code GET /v1/profiles/{profileId}} and
 * {@code GET /v1/profiles?userId=…|anonymousId=…|email=…|phone=…|deviceId=…|customerId=…}.
 */
@RestController
@RequestMapping("/v1/profiles")
class ProfileController {

	private static final String LOOKUP_PARAMETERS = String.join(", ",
			Arrays.stream(LookupParameter.values()).map(LookupParameter::parameter).toList());

	private final ProfileService profiles;

	ProfileController(ProfileService profiles) {
		this.profiles = profiles;
	}

	@GetMapping("/{profileId}")
	ProfileResponse byId(Workspace workspace, @PathVariable UUID profileId,
			@RequestParam(required = false) String fields) {
		Set<String> selected = fields(fields);
		return this.profiles.byId(workspace, profileId)
			.map((profile) -> profile.only(selected))
			.orElseThrow(() -> notFound("profile " + profileId));
	}

	/**
	 * The profile one identifier resolves to. Without any identifier the request is the
	 * profile list, mapped more specifically by the search feature.
	 */
	@GetMapping
	ProfileResponse byIdentifier(Workspace workspace, @RequestParam MultiValueMap<String, String> parameters) {
		List<LookupParameter> given = new ArrayList<>();
		for (LookupParameter parameter : LookupParameter.values()) {
			if (parameters.containsKey(parameter.parameter())) {
				given.add(parameter);
			}
		}
		List<String> unknown = parameters.keySet()
			.stream()
			.filter((name) -> given.stream().noneMatch((parameter) -> parameter.parameter().equals(name)))
			.filter((name) -> !"fields".equals(name))
			.toList();
		if (given.size() != 1 || !unknown.isEmpty() || parameters.get(given.get(0).parameter()).size() != 1) {
			throw new BadRequestException("invalid-lookup", "Invalid lookup",
					"give exactly one identifier, once: " + LOOKUP_PARAMETERS);
		}
		LookupParameter parameter = given.get(0);
		String value = parameters.getFirst(parameter.parameter());
		if (value == null || value.isBlank() || value.length() > 255) {
			throw new BadRequestException("invalid-lookup", "Invalid lookup",
					parameter.parameter() + " must be 1-255 characters");
		}
		String stored = parameter.storedValue(value)
			.orElseThrow(() -> new BadRequestException("invalid-lookup", "Invalid lookup",
					parameter.parameter() + " is not a usable identifier (malformed, a placeholder or a test value)"));
		Set<String> selected = fields(parameters.getFirst("fields"));
		return this.profiles.byIdentifier(workspace, parameter.kind(), stored)
			.map((profile) -> profile.only(selected))
			.orElseThrow(() -> notFound("no profile has this " + parameter.parameter()));
	}

	/**
	 * The parts asked for with {@code ?fields=identities,traits}: all when absent.
	 */
	private static Set<String> fields(String fields) {
		if (fields == null) {
			return ProfileResponse.FIELDS;
		}
		Set<String> selected = new LinkedHashSet<>();
		for (String field : fields.split(",")) {
			String name = field.strip();
			if (!ProfileResponse.FIELDS.contains(name)) {
				throw new BadRequestException("invalid-parameter", "Invalid parameter",
						"fields takes a comma-separated list of "
								+ String.join(", ", new TreeSet<>(ProfileResponse.FIELDS)));
			}
			selected.add(name);
		}
		return selected;
	}

	private static ErrorResponseException notFound(String detail) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				Problems.of(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found", detail), null);
	}

}
