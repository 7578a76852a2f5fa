package io.lodestar.stack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic Segment-spec messages for load: product views, cart adds, page views and
 * identifies of a few thousand users, with a browser context. Seeded.
 */
final class SampleTraffic {

	private static final String[] CATEGORIES = { "home/kitchen", "home/lighting", "garden", "gifts/cards", "toys/party",
			"bags" };

	private final SplittableRandom random;

	SampleTraffic(long seed) {
		this.random = new SplittableRandom(seed);
	}

	List<Map<String, Object>> batch(int size) {
		List<Map<String, Object>> batch = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			batch.add(message());
		}
		return batch;
	}

	Map<String, Object> message() {
		int user = this.random.nextInt(5_000);
		int kind = this.random.nextInt(10);
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("messageId", UUID.randomUUID().toString());
		message.put("anonymousId", "anon-" + user);
		if (user % 3 != 0) {
			message.put("userId", "user-" + user);
		}
		message.put("timestamp", java.time.Instant.now().toString());
		message.put("context", Map.of("ip", "203.0.113." + (user % 250), "userAgent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
				"page",
				Map.of("path", "/products/" + user % 400, "url", "https://shop.example.com/products/" + user % 400,
						"referrer", "https://www.google.com/"),
				"library", Map.of("name", "analytics.js", "version", "next-1.70.0")));
		if (kind < 6) {
			message.put("type", "track");
			message.put("event", (kind < 4) ? "Product Viewed" : "Product Added");
			int product = this.random.nextInt(4_000);
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("product_id", "P" + product);
			properties.put("sku", "SKU-" + product);
			properties.put("category", CATEGORIES[product % CATEGORIES.length]);
			properties.put("name", "Product " + product);
			properties.put("price", (product % 50) + 0.99);
			properties.put("currency", "GBP");
			message.put("properties", properties);
		}
		else if (kind < 9) {
			message.put("type", "page");
			message.put("name", "Product");
			message.put("properties", Map.of("path", "/products/" + user % 400, "title", "Product page"));
		}
		else {
			message.put("type", "identify");
			message.put("traits", Map.of("plan", (user % 2 == 0) ? "free" : "pro", "country", "United Kingdom"));
		}
		return message;
	}

}
