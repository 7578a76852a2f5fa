package io.lodestar.recommender.serving;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.contracts.identity.LookupParameter;
import io.lodestar.recommender.catalogue.ItemIds;
import io.lodestar.recommender.system.RecommenderProperties;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code GET /v1/recommendations/profiles/{profileId}},
 * {@code GET /v1/recommendations?userId=|anonymousId=|email=|phone=|deviceId=|customerId=}
 * and {@code GET /v1/recommendations/items/{itemId}/similar}, each with {@code limit},
 * {@code category}, {@code minPrice}, {@code maxPrice} and {@code available}.
 */
@RestController
@RequestMapping("/v1/recommendations")
class RecommendationController {

	private static final Set<String> FILTERS = Set.of("limit", "category", "minPrice", "maxPrice", "available");

	private static final Set<String> IDENTIFIERS = Arrays.stream(LookupParameter.values())
		.map(LookupParameter::parameter)
		.collect(Collectors.toUnmodifiableSet());

	private static final BigDecimal MAX_PRICE = new BigDecimal("1e14");

	private final RecommendationService recommendations;

	private final ProfileResolver profiles;

	private final RecommenderProperties properties;

	RecommendationController(RecommendationService recommendations, ProfileResolver profiles,
			RecommenderProperties properties) {
		this.recommendations = recommendations;
		this.profiles = profiles;
		this.properties = properties;
	}

	@GetMapping("/profiles/{profileId}")
	Answers.ProfileRecommendations forProfile(Workspace workspace, @PathVariable UUID profileId,
			@RequestParam MultiValueMap<String, String> parameters) {
		only(parameters, FILTERS);
		Request request = request(parameters);
		return this.recommendations
			.forProfile(workspace.id(), (since) -> this.profiles.byId(workspace.id(), profileId, since),
					request.limit(), request.filters())
			.orElseThrow(() -> profileNotFound("no profile " + profileId + " in this workspace"));
	}

	@GetMapping
	Answers.ProfileRecommendations forIdentifier(Workspace workspace,
			@RequestParam MultiValueMap<String, String> parameters) {
		only(parameters, union(FILTERS, IDENTIFIERS));
		List<LookupParameter> given = new ArrayList<>();
		for (LookupParameter parameter : LookupParameter.values()) {
			if (parameters.containsKey(parameter.parameter())) {
				given.add(parameter);
			}
		}
		if (given.size() != 1 || parameters.get(given.get(0).parameter()).size() != 1) {
			throw new BadRequestException("invalid-lookup", "Invalid lookup",
					"give exactly one identifier, once: "
							+ String.join(", ",
									Arrays.stream(LookupParameter.values()).map(LookupParameter::parameter).toList())
							+ " (or use /v1/recommendations/profiles/{profileId})");
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
		Request request = request(parameters);
		return this.recommendations
			.forProfile(workspace.id(),
					(since) -> this.profiles.byIdentifier(workspace.id(), parameter.kind(), stored, since),
					request.limit(), request.filters())
			.orElseThrow(() -> profileNotFound("no profile has this " + parameter.parameter()));
	}

	@GetMapping("/items/{itemId}/similar")
	Answers.SimilarItems similar(Workspace workspace, @PathVariable String itemId,
			@RequestParam MultiValueMap<String, String> parameters) {
		ItemIds.require(itemId);
		only(parameters, FILTERS);
		Request request = request(parameters);
		Answers.SimilarItems answer = this.recommendations.similar(workspace.id(), itemId, request.limit(),
				request.filters());
		if (answer == null) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "item-not-found",
					"Item not found", "neither the model nor the catalogue knows item " + itemId), null);
		}
		return answer;
	}

	private static Set<String> union(Set<String> a, Set<String> b) {
		return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
	}

	private static void only(MultiValueMap<String, String> parameters, Set<String> allowed) {
		for (String name : parameters.keySet()) {
			if (!allowed.contains(name)) {
				throw invalid("unknown parameter '" + name + "'; this endpoint takes "
						+ String.join(", ", allowed.stream().sorted().toList()));
			}
		}
		for (String name : FILTERS) {
			if (parameters.containsKey(name) && parameters.get(name).size() > 1) {
				throw invalid(name + " is given more than once");
			}
		}
	}

	private Request request(MultiValueMap<String, String> parameters) {
		int limit = 10;
		String limitText = parameters.getFirst("limit");
		if (limitText != null) {
			try {
				limit = Integer.parseInt(limitText.strip());
			}
			catch (NumberFormatException ex) {
				limit = -1;
			}
			if (limit < 1 || limit > this.properties.maxLimit()) {
				throw invalid("limit must be a whole number of 1-" + this.properties.maxLimit());
			}
		}
		String category = parameters.getFirst("category");
		if (category != null) {
			ItemIds.requireText("category", category, 255);
			category = category.strip();
		}
		BigDecimal minPrice = price(parameters, "minPrice");
		BigDecimal maxPrice = price(parameters, "maxPrice");
		if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
			throw invalid("minPrice must not be above maxPrice");
		}
		boolean available = true;
		String availableText = parameters.getFirst("available");
		if (availableText != null) {
			if (!"true".equals(availableText) && !"false".equals(availableText)) {
				throw invalid("available is true (only available items, the default) or false (any)");
			}
			available = Boolean.parseBoolean(availableText);
		}
		return new Request(limit, new Filters(category, minPrice, maxPrice, available));
	}

	private static BigDecimal price(MultiValueMap<String, String> parameters, String name) {
		String text = parameters.getFirst(name);
		if (text == null) {
			return null;
		}
		try {
			BigDecimal price = new BigDecimal(text.strip());
			if (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0) {
				throw invalid(name + " must be a number of 0 or more");
			}
			return price;
		}
		catch (NumberFormatException ex) {
			throw invalid(name + " must be a number of 0 or more");
		}
	}

	private static BadRequestException invalid(String detail) {
		return new BadRequestException("invalid-parameter", "Invalid parameter", detail);
	}

	private static ErrorResponseException profileNotFound(String detail) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				Problems.of(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found", detail), null);
	}

	private record Request(int limit, Filters filters) {
	}

}
