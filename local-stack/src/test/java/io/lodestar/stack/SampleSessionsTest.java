package io.lodestar.stack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated sessions around the real Online Retail orders: the same every time,
 * within the collector's limits, before the orders they lead to, and shaped like a shop's
 * funnel (views ≥ carts ≥ checkouts ≥ orders).
 */
class SampleSessionsTest {

	private static List<Map<String, Object>> messages;

	@BeforeAll
	static void generate() throws Exception {
		messages = generateAll();
	}

	@Test
	void isTheSameOnEveryRun() throws Exception {
		assertThat(generateAll()).isEqualTo(messages);
	}

	@Test
	void everyMessageHasAUniqueShortIdAndAnIdentity() {
		Set<String> ids = new HashSet<>();
		for (Map<String, Object> message : messages) {
			String id = (String) message.get("messageId");
			assertThat(id).hasSizeLessThanOrEqualTo(100);
			assertThat(ids.add(id)).as(id).isTrue();
			assertThat(message.containsKey("userId") || message.containsKey("anonymousId")).isTrue();
			Instant.parse((String) message.get("timestamp"));
		}
	}

	@Test
	void aSessionEndsInCheckoutBeforeItsOrder() {
		Map<String, Instant> orders = new HashMap<>();
		Map<String, Instant> checkouts = new HashMap<>();
		for (Map<String, Object> message : messages) {
			Object properties = message.get("properties");
			if (!(properties instanceof Map<?, ?> map) || !(map.get("order_id") instanceof String order)) {
				continue;
			}
			Instant at = Instant.parse((String) message.get("timestamp"));
			if ("Order Completed".equals(message.get("event"))) {
				orders.put(order, at);
			}
			else if ("Checkout Started".equals(message.get("event"))) {
				checkouts.put(order, at);
			}
		}
		assertThat(checkouts).isNotEmpty();
		checkouts.forEach((order, at) -> assertThat(at).isBefore(orders.get(order)));
	}

	@Test
	void looksLikeAShopsFunnelAndAStoresScreens() {
		Map<String, Long> counts = new HashMap<>();
		List<Map<String, Object>> kiosk = new ArrayList<>();
		for (Map<String, Object> message : messages) {
			counts.merge(String.valueOf(message.get("event")), 1L, Long::sum);
			if (String.valueOf(message.get("anonymousId")).startsWith("kiosk-")) {
				kiosk.add(message);
			}
		}
		assertThat(counts.get("Product Viewed")).isGreaterThan(counts.get("Product Added"));
		assertThat(counts.get("Product Added")).isGreaterThan(counts.get("Checkout Started"));
		assertThat(counts.get("Checkout Started")).isGreaterThan(counts.get("Order Completed"));
		assertThat(counts.get("Promotion Viewed")).isGreaterThan(counts.get("Zone Dwell"))
			.isGreaterThan(counts.get("Promotion Clicked"));
		assertThat(kiosk).allSatisfy((message) -> {
			Map<?, ?> properties = (Map<?, ?>) message.get("properties");
			assertThat(properties.get("zone")).isNotNull();
			assertThat(properties.get("screen")).isNotNull();
			Instant at = Instant.parse((String) message.get("timestamp"));
			assertThat(at.atZone(ZoneOffset.UTC).getDayOfWeek()).isNotEqualTo(DayOfWeek.SATURDAY);
			assertThat(at.atZone(ZoneOffset.UTC).getHour()).isBetween(9, 19);
		});
		// about two in five landing pages come from a campaign
		long landings = messages.stream()
			.filter((message) -> String.valueOf(message.get("messageId")).endsWith("-home"))
			.count();
		long fromCampaigns = messages.stream()
			.filter((message) -> String.valueOf(message.get("messageId")).endsWith("-home"))
			.filter((message) -> ((Map<?, ?>) message.get("context")).containsKey("campaign"))
			.count();
		assertThat((double) fromCampaigns / landings).isBetween(0.35, 0.45);
		// the generated share stays a demo's: well under half a million messages
		assertThat(messages).hasSizeBetween(100_000, 400_000);
	}

	private static List<Map<String, Object>> generateAll() throws Exception {
		Path file = Path.of("..").resolve(SampleDataLoader.DATASET);
		List<Map<String, Object>> all = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
			SampleSessions sessions = new SampleSessions(all::add);
			new RetailEvents().read(reader, sessions);
			sessions.finish();
		}
		return all;
	}

}
