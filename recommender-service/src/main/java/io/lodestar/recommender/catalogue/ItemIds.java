package io.lodestar.recommender.catalogue;

import io.lodestar.web.BadRequestException;

/**
 * What an item id (a product id of the events) may be: 1-255 characters without control
 * characters.
 */
public final class ItemIds {

	private ItemIds() {
	}

	/**
	 * @param itemId an item id from a request
	 * @throws BadRequestException 400 {@code invalid-item-id} when it cannot be one
	 */
	public static void require(String itemId) {
		if (itemId == null || itemId.isBlank() || itemId.length() > 255
				|| itemId.chars().anyMatch(Character::isISOControl)) {
			throw new BadRequestException("invalid-item-id", "Invalid item id",
					"an item id is 1-255 characters without control characters");
		}
	}

	/**
	 * @param name the parameter
	 * @param value its value
	 * @param max its longest
	 * @throws BadRequestException 400 {@code invalid-parameter} unless 1-max characters
	 * without control characters
	 */
	public static void requireText(String name, String value, int max) {
		if (value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter",
					name + " must be 1-" + max + " characters without control characters");
		}
	}

}
