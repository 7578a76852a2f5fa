package io.lodestar.recommender.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.recommender.system.RecommenderProperties.PromotionPolicy;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Workspace;

/**
 * {@code GET|PUT /v1/recommendations/settings}: the workspace's promotion policy and the
 * categories whose items may be recommended again after a purchase.
 */
@RestController
@RequestMapping("/v1/recommendations/settings")
class SettingsController {

	private static final Set<String> FIELDS = Set.of("promotionPolicy", "repeatableCategories");

	private final WorkspaceSettings settings;

	SettingsController(WorkspaceSettings settings) {
		this.settings = settings;
	}

	@GetMapping
	SettingsView get(Workspace workspace) {
		return view(this.settings.of(workspace.id()));
	}

	/**
	 * Replaces the workspace's choices: a field absent or null returns to the service's
	 * default.
	 */
	@PutMapping
	SettingsView put(Workspace workspace, @RequestBody JsonNode body) {
		if (body == null || !body.isObject()) {
			throw invalid("the body is a JSON object {\"promotionPolicy\", \"repeatableCategories\"}");
		}
		for (String field : body.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw invalid("unknown field '" + field + "'; fields are promotionPolicy, repeatableCategories");
			}
		}
		PromotionPolicy policy = null;
		JsonNode policyNode = body.get("promotionPolicy");
		if (policyNode != null && !policyNode.isNull()) {
			policy = policyNode.isString() ? PromotionPolicy.ofCode(policyNode.asString()) : null;
			if (policy == null) {
				throw invalid("promotionPolicy is one of if-better, always, manual");
			}
		}
		List<String> categories = null;
		JsonNode categoriesNode = body.get("repeatableCategories");
		if (categoriesNode != null && !categoriesNode.isNull()) {
			if (!categoriesNode.isArray() || categoriesNode.size() > 1000) {
				throw invalid("repeatableCategories is an array of at most 1000 category names");
			}
			categories = new ArrayList<>();
			for (JsonNode category : categoriesNode) {
				if (!category.isString() || category.asString().isBlank() || category.asString().length() > 255
						|| category.asString().indexOf('\0') >= 0) {
					throw invalid("repeatableCategories holds category names of 1-255 characters");
				}
				categories.add(category.asString().strip());
			}
		}
		return view(this.settings.update(workspace, policy, categories));
	}

	private static SettingsView view(WorkspaceSettings.Settings settings) {
		return new SettingsView(settings.promotionPolicy().code(), settings.ownPolicy() ? "workspace" : "default",
				settings.repeatableCategories(), settings.ownCategories() ? "workspace" : "default");
	}

	/**
	 * @param promotionPolicy if-better, always or manual
	 * @param promotionPolicySource {@code workspace} (chosen) or {@code default}
	 * @param repeatableCategories categories whose items may be recommended after a
	 * purchase
	 * @param repeatableCategoriesSource {@code workspace} or {@code default}
	 */
	record SettingsView(String promotionPolicy, String promotionPolicySource, List<String> repeatableCategories,
			String repeatableCategoriesSource) {
	}

	private static BadRequestException invalid(String detail) {
		return new BadRequestException("invalid-settings", "Invalid settings", detail);
	}

}
