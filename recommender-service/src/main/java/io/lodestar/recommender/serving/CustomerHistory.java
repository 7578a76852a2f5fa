package io.lodestar.recommender.serving;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a customer the model does not know did lately, from their timeline in
 * {@code profile.profile_event}: the items they bought ({@code Order Completed}
 * {@code products[].product_id}) for the exclusion, and the items they looked at, added
 * or bought with their categories, for the popular-in-category fallback. Reads the newest
 * events of one profile through the timeline index. (A known customer's purchases since
 * training come with the profile: {@link ProfileResolver}.)
 */
@Component
class CustomerHistory {

	static final int MAX_ORDERS = 500;

	static final int MAX_EVENTS = 200;

	private static final String PRODUCTS = """
			left join lateral jsonb_array_elements(case when jsonb_typeof(e.properties -> 'products') = 'array'
			                                            then e.properties -> 'products' else '[]'::jsonb end) p on true
			""";

	private final JdbcClient jdbc;

	CustomerHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param workspace the workspace
	 * @param profileId the profile
	 * @return what the newest events of interest say: purchases, and a weight per
	 * category (a purchase 3, an add to cart 2, a view or click 1) by the event's
	 * {@code category} (the catalogue's is preferred by the caller)
	 */
	History recent(String workspace, UUID profileId) {
		Set<String> bought = new HashSet<>();
		Map<String, Integer> touched = new HashMap<>();
		Map<String, String> eventCategories = new HashMap<>();
		this.jdbc.sql("""
				select e.event_name,
				       coalesce(p ->> 'product_id', p ->> 'productId', e.properties ->> 'product_id',
				                e.properties ->> 'productId') as item,
				       coalesce(p ->> 'category', e.properties ->> 'category') as category
				  from (select e.event_name, e.properties from profile.profile_event e
				         where e.workspace_id = :workspace and e.profile_id = :profile and e.event_type = 'track'
				           and e.event_name in ('Order Completed', 'Product Added', 'Product Viewed', 'Product Clicked')
				         order by e.occurred_at desc limit :limit) e
				""" + PRODUCTS)
			.param("workspace", workspace)
			.param("profile", profileId)
			.param("limit", MAX_EVENTS)
			.query((row, n) -> {
				String event = row.getString(1);
				String item = row.getString(2);
				if (item == null) {
					return null;
				}
				int weight = switch (event) {
					case "Order Completed" -> 3;
					case "Product Added" -> 2;
					default -> 1;
				};
				if (weight == 3) {
					bought.add(item);
				}
				touched.merge(item, weight, Integer::sum);
				String category = row.getString(3);
				if (category != null && !category.isBlank()) {
					eventCategories.putIfAbsent(item, category);
				}
				return null;
			})
			.list();
		return new History(bought, touched, eventCategories);
	}

	/**
	 * @param bought items bought
	 * @param touched a weight per item interacted with
	 * @param eventCategories the category the events gave an item
	 */
	record History(Set<String> bought, Map<String, Integer> touched, Map<String, String> eventCategories) {

		History(Set<String> bought, Map<String, Integer> touched) {
			this(bought, touched, Map.of());
		}

	}

}
