package io.lodestar.stack;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generated, seeded web behaviour and in-store screen traffic around the real Online
 * Retail orders, so that funnels, paths and kiosk views have something to show: the
 * retailer's log holds purchases only. Clearly synthetic (message ids
 * {@code sample-web-…} and {@code sample-kiosk-…}, library
 * {@code lodestar-sample-sessions}), and the same on every run.
 * <ul>
 * <li>Before each {@code Order Completed} (a customer's, or a guest's anonymously): a
 * session of a home page, for up to two of the order's products a product page,
 * {@code Product Viewed} and {@code Product Added}, then {@code Checkout Started} a
 * minute before the order.</li>
 * <li>For about a third of the orders, an earlier session 1–20 days before that ended
 * without a purchase: views, sometimes a cart, rarely a checkout.</li>
 * <li>About two in five sessions land from a campaign ({@code context.campaign} and utm
 * parameters in the page URL): Google Ads, Meta and the newsletter.</li>
 * <li>Every trading day from 09:00 to 18:00 UTC, two in-store screens (anonymous devices)
 * show three zones: {@code Promotion Viewed} impressions following the day's curve,
 * {@code Promotion Clicked} at a rate per zone, and {@code Zone Dwell} with
 * {@code dwell_seconds}.</li>
 * </ul>
 */
final class SampleSessions implements Consumer<Map<String, Object>> {

	static final long SEED = 20111209L;

	private static final String[][] SCREENS = { { "store-entrance", "entrance-banner", "seasonal" },
			{ "store-checkout", "checkout-offers", "seasonal" } };

	private static final double[] ZONE_CLICK_RATES = { 0.04, 0.07, 0.11 };

	/** utm source, medium and campaign of the sample's marketing. */
	private static final String[][] CAMPAIGNS = { { "google", "cpc", "Brand" }, { "google", "cpc", "Generic Gifts" },
			{ "facebook", "paid_social", "Spring Sale" }, { "instagram", "paid_social", "Gift Guide" },
			{ "newsletter", "email", "Weekly Picks" } };

	private final Consumer<Map<String, Object>> sink;

	private final Random random = new Random(SEED);

	private final List<Map<String, Object>> catalogue = new ArrayList<>();

	private LocalDate firstDay;

	private LocalDate lastDay;

	SampleSessions(Consumer<Map<String, Object>> sink) {
		this.sink = sink;
	}

	/** Passes a retail message on, preceded by the generated session of an order. */
	@Override
	public void accept(Map<String, Object> message) {
		if ("Order Completed".equals(message.get("event"))) {
			session(message);
		}
		this.sink.accept(message);
	}

	/**
	 * The screens' traffic over every day the orders spanned; call after the last order.
	 */
	void finish() {
		if (this.firstDay == null) {
			return;
		}
		for (LocalDate day = this.firstDay; !day.isAfter(this.lastDay); day = day.plusDays(1)) {
			// the retailer does not trade on Saturdays (none in the log)
			if (day.getDayOfWeek() == DayOfWeek.SATURDAY) {
				continue;
			}
			for (int screen = 0; screen < SCREENS.length; screen++) {
				kioskDay(day, screen);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private void session(Map<String, Object> order) {
		// a customer, or a guest checkout's anonymous visitor
		String identity = order.containsKey("userId") ? "userId" : "anonymousId";
		String customer = (String) order.get(identity);
		String invoice = (String) ((Map<String, Object>) order.get("properties")).get("order_id");
		Instant at = Instant.parse((String) order.get("timestamp"));
		List<Map<String, Object>> products = (List<Map<String, Object>>) ((Map<String, Object>) order.get("properties"))
			.get("products");
		observe(at);
		String id = "sample-web-" + invoice;
		Instant time = at.minus(Duration.ofSeconds(240 + this.random.nextInt(1200)));
		emit(campaign(page(id + "-home", identity, customer, time, "/", "Home")));
		int shown = Math.min(2, products.size());
		for (int i = 0; i < shown; i++) {
			Map<String, Object> product = products.get(i);
			this.catalogue.add(product);
			time = time.plusSeconds(20 + this.random.nextInt(90));
			emit(page(id + "-page-" + i, identity, customer, time, "/products/" + product.get("product_id"),
					(String) product.get("name")));
			time = time.plusSeconds(1);
			emit(track(id + "-viewed-" + i, identity, customer, time, "Product Viewed", product(product, false)));
			time = time.plusSeconds(10 + this.random.nextInt(60));
			emit(track(id + "-added-" + i, identity, customer, time, "Product Added", product(product, true)));
		}
		Map<String, Object> checkout = new LinkedHashMap<>();
		checkout.put("order_id", invoice);
		checkout.put("products", products.size());
		emit(track(id + "-checkout", identity, customer, at.minusSeconds(60), "Checkout Started", checkout));
		if (this.random.nextDouble() < 0.35 && this.catalogue.size() > 10) {
			abandoned(id + "-earlier", identity, customer, at.minus(Duration.ofDays(1 + this.random.nextInt(20))));
		}
	}

	private void abandoned(String id, String identity, String customer, Instant start) {
		Instant time = start.plusSeconds(this.random.nextInt(36_000));
		emit(campaign(page(id + "-home", identity, customer, time, "/", "Home")));
		int views = 1 + this.random.nextInt(3);
		for (int i = 0; i < views; i++) {
			Map<String, Object> product = this.catalogue.get(this.random.nextInt(this.catalogue.size()));
			time = time.plusSeconds(15 + this.random.nextInt(120));
			emit(page(id + "-page-" + i, identity, customer, time, "/products/" + product.get("product_id"),
					(String) product.get("name")));
			time = time.plusSeconds(1);
			emit(track(id + "-viewed-" + i, identity, customer, time, "Product Viewed", product(product, false)));
			if (this.random.nextDouble() < 0.3) {
				time = time.plusSeconds(10 + this.random.nextInt(60));
				emit(track(id + "-added-" + i, identity, customer, time, "Product Added", product(product, true)));
				if (this.random.nextDouble() < 0.3) {
					time = time.plusSeconds(30 + this.random.nextInt(120));
					emit(track(id + "-checkout-" + i, identity, customer, time, "Checkout Started",
							Map.of("products", 1)));
					return;
				}
			}
		}
	}

	private void kioskDay(LocalDate day, int screen) {
		String device = "kiosk-" + SCREENS[screen][0];
		for (int hour = 9; hour < 18; hour++) {
			// busiest around lunch time
			double busy = 1 + 2.5 * Math.exp(-Math.pow(hour - 12.5, 2) / 4);
			for (int zone = 1; zone < SCREENS[screen].length; zone++) {
				String name = SCREENS[screen][zone];
				double clickRate = ZONE_CLICK_RATES[(screen + zone) % ZONE_CLICK_RATES.length];
				int impressions = poisson(1.5 * busy);
				for (int i = 0; i < impressions; i++) {
					Instant time = day.atTime(hour, 0).toInstant(ZoneOffset.UTC).plusSeconds(this.random.nextInt(3600));
					String id = "sample-kiosk-" + SCREENS[screen][0] + "-" + name + "-" + day + "-" + hour + "-" + i;
					Map<String, Object> where = new LinkedHashMap<>();
					where.put("zone", name);
					where.put("screen", SCREENS[screen][0]);
					emit(anonymous(id + "-viewed", device, time, "Promotion Viewed", where));
					if (this.random.nextDouble() < clickRate) {
						emit(anonymous(id + "-clicked", device, time.plusSeconds(3 + this.random.nextInt(20)),
								"Promotion Clicked", where));
					}
					if (this.random.nextDouble() < 0.3) {
						Map<String, Object> dwell = new LinkedHashMap<>(where);
						dwell.put("dwell_seconds", 5 + this.random.nextInt(110));
						emit(anonymous(id + "-dwell", device, time.plusSeconds(30 + this.random.nextInt(90)),
								"Zone Dwell", dwell));
					}
				}
			}
		}
	}

	/**
	 * About two sessions in five arrive from a campaign: the landing page carries the utm
	 * parameters, as analytics SDKs send them ({@code context.campaign} and the page
	 * URL).
	 */
	@SuppressWarnings("unchecked")
	private Map<String, Object> campaign(Map<String, Object> page) {
		double draw = this.random.nextDouble();
		if (draw >= 0.4) {
			return page;
		}
		String[] campaign = CAMPAIGNS[(int) (draw / 0.4 * CAMPAIGNS.length)];
		Map<String, Object> context = new LinkedHashMap<>((Map<String, Object>) page.get("context"));
		context.put("campaign", Map.of("source", campaign[0], "medium", campaign[1], "name", campaign[2]));
		context.put("page", Map.of("url", "https://shop.example/?utm_source=" + campaign[0] + "&utm_medium="
				+ campaign[1] + "&utm_campaign=" + campaign[2].replace(' ', '+'), "path", "/"));
		page.put("context", context);
		return page;
	}

	private int poisson(double mean) {
		double limit = Math.exp(-mean);
		double product = this.random.nextDouble();
		int count = 0;
		while (product > limit) {
			product *= this.random.nextDouble();
			count++;
		}
		return count;
	}

	private void observe(Instant at) {
		LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
		if (this.firstDay == null || day.isBefore(this.firstDay)) {
			this.firstDay = day;
		}
		if (this.lastDay == null || day.isAfter(this.lastDay)) {
			this.lastDay = day;
		}
	}

	private void emit(Map<String, Object> message) {
		this.sink.accept(message);
	}

	private static Map<String, Object> product(Map<String, Object> line, boolean quantity) {
		Map<String, Object> product = new LinkedHashMap<>();
		product.put("product_id", line.get("product_id"));
		product.put("name", line.get("name"));
		product.put("price", line.get("price"));
		if (quantity) {
			product.put("quantity", line.get("quantity"));
		}
		return product;
	}

	private static Map<String, Object> page(String messageId, String identity, String customer, Instant at, String path,
			String title) {
		Map<String, Object> page = message("page", messageId, at);
		page.put(identity, customer);
		page.put("name", title);
		page.put("properties", Map.of("path", path, "title", (title != null) ? title : path));
		return page;
	}

	private static Map<String, Object> track(String messageId, String identity, String customer, Instant at,
			String event, Map<String, Object> properties) {
		Map<String, Object> track = message("track", messageId, at);
		track.put(identity, customer);
		track.put("event", event);
		track.put("properties", properties);
		return track;
	}

	private static Map<String, Object> anonymous(String messageId, String device, Instant at, String event,
			Map<String, Object> properties) {
		Map<String, Object> track = message("track", messageId, at);
		track.put("anonymousId", device);
		track.put("event", event);
		track.put("properties", properties);
		track.put("context", Map.of("library", Map.of("name", "lodestar-sample-sessions", "version", Version.PROJECT),
				"device", Map.of("type", "kiosk")));
		return track;
	}

	private static Map<String, Object> message(String type, String messageId, Instant at) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", type);
		message.put("messageId", messageId);
		message.put("timestamp", at.toString());
		message.put("context",
				Map.of("library", Map.of("name", "lodestar-sample-sessions", "version", Version.PROJECT)));
		return message;
	}

}
