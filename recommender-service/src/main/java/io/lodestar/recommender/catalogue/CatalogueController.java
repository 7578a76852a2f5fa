package io.lodestar.recommender.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/recommendations/items}: list the catalogue, read an item, and set an item's
 * availability and overrides of its name, category, brand and price.
 */
@RestController
@RequestMapping("/v1/recommendations/items")
class CatalogueController {

	private static final Set<String> FIELDS = Set.of("available", "name", "category", "brand", "price");

	private static final BigDecimal MAX_PRICE = new BigDecimal("99999999999999.9999");

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Catalogue catalogue;

	CatalogueController(JdbcClient jdbc, TransactionTemplate transactions, Catalogue catalogue) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.catalogue = catalogue;
	}

	/**
	 * The catalogue by item id, in pages: {@code after} is the last item id of the
	 * previous page.
	 */
	@GetMapping
	ItemsPage list(Workspace workspace, @RequestParam(required = false) String category,
			@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String after) {
		if (limit < 1 || limit > 1000) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-1000");
		}
		if (category != null) {
			ItemIds.requireText("category", category, 255);
		}
		if (after != null) {
			ItemIds.require(after);
		}
		List<CatalogueItem> items = this.jdbc.sql(Catalogue.EFFECTIVE + """
				where i.workspace_id = :workspace
				  and (cast(:category as text) is null
				       or lower(coalesce(o.category, i.category)) = lower(cast(:category as text)))
				  and (cast(:after as text) is null or i.item_id > cast(:after as text))
				order by i.item_id limit :limit""")
			.param("workspace", workspace.id())
			.param("category", (category != null) ? category.strip() : null)
			.param("after", after)
			.param("limit", limit + 1)
			.query((row, n) -> Catalogue.item(row))
			.list();
		boolean more = items.size() > limit;
		List<CatalogueItem> page = more ? items.subList(0, limit) : items;
		return new ItemsPage(page, more ? page.get(page.size() - 1).itemId() : null);
	}

	@GetMapping("/{itemId}")
	CatalogueItem get(Workspace workspace, @PathVariable String itemId) {
		ItemIds.require(itemId);
		return find(workspace, itemId)
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
					"item-not-found", "Item not found", "the catalogue has no item " + itemId), null));
	}

	/**
	 * Sets what the body names: {@code available}, and overrides of {@code name},
	 * {@code category}, {@code brand}, {@code price} that win over what the training job
	 * writes; a field left out is unchanged, an override given as null is cleared. An
	 * item the catalogue does not know yet is added.
	 */
	@PutMapping("/{itemId}")
	CatalogueItem put(Workspace workspace, @PathVariable String itemId, @RequestBody JsonNode body) {
		ItemIds.require(itemId);
		if (body == null || !body.isObject() || body.isEmpty()) {
			throw invalid("the body is a JSON object with one or more of "
					+ String.join(", ", FIELDS.stream().sorted().toList()));
		}
		for (String field : body.propertyNames()) {
			if (!FIELDS.contains(field)) {
				throw invalid("unknown field '" + field + "'; fields are available, name, category, brand, price");
			}
		}
		Boolean available = null;
		if (body.has("available")) {
			if (!body.get("available").isBoolean()) {
				throw invalid("available is true or false");
			}
			available = body.get("available").asBoolean();
		}
		Override name = text(body, "name", 500);
		Override category = text(body, "category", 255);
		Override brand = text(body, "brand", 255);
		Override price = price(body);
		Boolean availability = available;
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc
				.sql("""
						insert into recommender.item (workspace_id, item_id, available)
						values (:workspace, :item, coalesce(cast(:available as boolean), true))
						on conflict (workspace_id, item_id) do update
						   set available = coalesce(cast(:available as boolean), item.available),
						       updated_at = case when cast(:available as boolean) is null then item.updated_at else now() end""")
				.param("workspace", workspace.id())
				.param("item", itemId)
				.param("available", availability)
				.update();
			if (name.given() || category.given() || brand.given() || price.given()) {
				this.jdbc
					.sql("""
							insert into recommender.item_override (workspace_id, item_id, name, category, brand, price)
							values (:workspace, :item, cast(:name as varchar), cast(:category as varchar), cast(:brand as varchar),
							        cast(:price as numeric))
							on conflict (workspace_id, item_id) do update
							   set name = case when :nameGiven then excluded.name else item_override.name end,
							       category = case when :categoryGiven then excluded.category else item_override.category end,
							       brand = case when :brandGiven then excluded.brand else item_override.brand end,
							       price = case when :priceGiven then excluded.price else item_override.price end,
							       updated_at = now()""")
					.param("workspace", workspace.id())
					.param("item", itemId)
					.param("name", name.value())
					.param("category", category.value())
					.param("brand", brand.value())
					.param("price", price.value())
					.param("nameGiven", name.given())
					.param("categoryGiven", category.given())
					.param("brandGiven", brand.given())
					.param("priceGiven", price.given())
					.update();
				this.jdbc.sql("""
						delete from recommender.item_override where workspace_id = :workspace and item_id = :item
						   and name is null and category is null and brand is null and price is null""")
					.param("workspace", workspace.id())
					.param("item", itemId)
					.update();
			}
		});
		this.catalogue.refresh(workspace.id());
		return find(workspace, itemId).orElseThrow();
	}

	private java.util.Optional<CatalogueItem> find(Workspace workspace, String itemId) {
		return this.jdbc.sql(Catalogue.EFFECTIVE + " where i.workspace_id = :workspace and i.item_id = :item")
			.param("workspace", workspace.id())
			.param("item", itemId)
			.query((row, n) -> Catalogue.item(row))
			.optional();
	}

	private static Override text(JsonNode body, String field, int max) {
		if (!body.has(field)) {
			return new Override(false, null);
		}
		JsonNode value = body.get(field);
		if (value.isNull()) {
			return new Override(true, null);
		}
		if (!value.isString() || value.asString().isBlank() || value.asString().length() > max
				|| value.asString().indexOf('\0') >= 0) {
			throw invalid(field + " is a string of 1-" + max + " characters, or null to clear the override");
		}
		return new Override(true, value.asString().strip());
	}

	private static Override price(JsonNode body) {
		if (!body.has("price")) {
			return new Override(false, null);
		}
		JsonNode value = body.get("price");
		if (value.isNull()) {
			return new Override(true, null);
		}
		if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().compareTo(MAX_PRICE) > 0) {
			throw invalid("price is a number of 0 or more, or null to clear the override");
		}
		return new Override(true, value.decimalValue());
	}

	private static BadRequestException invalid(String detail) {
		return new BadRequestException("invalid-item", "Invalid item", detail);
	}

	private record Override(boolean given, Object value) {
	}

	/**
	 * @param items by item id
	 * @param nextAfter the {@code after} of the next page, absent on the last
	 */
	record ItemsPage(List<CatalogueItem> items, @JsonInclude(JsonInclude.Include.NON_NULL) String nextAfter) {
	}

}
