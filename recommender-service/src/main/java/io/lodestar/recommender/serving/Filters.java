package io.lodestar.recommender.serving;

import java.math.BigDecimal;

import io.lodestar.recommender.catalogue.CatalogueItem;
import io.lodestar.recommender.settings.WorkspaceSettings;

/**
 * The business filters of a request: a category (compared without case), a price range
 * (inclusive; items without a price fail it) and availability.
 *
 * @param category the category asked for, or null
 * @param minPrice the lowest price, or null
 * @param maxPrice the highest price, or null
 * @param availableOnly whether only available items qualify (default); false does not
 * filter on availability
 */
record Filters(String category, BigDecimal minPrice, BigDecimal maxPrice, boolean availableOnly) {

	static final Filters NONE = new Filters(null, null, null, true);

	String categoryKey() {
		return WorkspaceSettings.Settings.key(this.category);
	}

	/**
	 * @param item the item as the catalogue has it
	 * @param categoryKey its category's comparison key, or null
	 * @return whether it passes
	 */
	boolean accepts(CatalogueItem item, String categoryKey) {
		if (this.availableOnly && !item.available()) {
			return false;
		}
		if (this.category != null && !categoryKey().equals(categoryKey)) {
			return false;
		}
		if (this.minPrice != null || this.maxPrice != null) {
			BigDecimal price = item.price();
			if (price == null || (this.minPrice != null && price.compareTo(this.minPrice) < 0)
					|| (this.maxPrice != null && price.compareTo(this.maxPrice) > 0)) {
				return false;
			}
		}
		return true;
	}

}
