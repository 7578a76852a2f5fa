package io.lodestar.recommender.catalogue;

import java.math.BigDecimal;

/**
 * An item as served: the training job's values with the API's overrides applied.
 *
 * @param itemId the item's id (the product id of the events)
 * @param name its name, or null
 * @param category its category, or null
 * @param brand its brand, or null
 * @param price its price, or null
 * @param available whether it may be recommended (in stock)
 */
public record CatalogueItem(String itemId, String name, String category, String brand, BigDecimal price,
		boolean available) {

	/**
	 * An item the catalogue does not know: no attributes, and available (V2's rule).
	 * @param itemId the item's id
	 * @return the item
	 */
	public static CatalogueItem unknown(String itemId) {
		return new CatalogueItem(itemId, null, null, null, null, true);
	}

}
