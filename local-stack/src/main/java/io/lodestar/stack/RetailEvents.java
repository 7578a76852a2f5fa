package io.lodestar.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the UCI Online Retail invoice lines into Segment-spec messages: an
 * {@code identify} the first time a customer appears (trait {@code country}), and per
 * invoice one {@code Order Completed} ({@code Order Refunded} for a cancellation,
 * {@code C…}) carrying its lines as {@code products}. Message ids are derived from the
 * invoice, so loading twice is deduplicated downstream.
 */
final class RetailEvents {

	private static final String HEADER = "invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country";

	static final int PRODUCTS_PER_MESSAGE = 150;

	private final Set<String> identified = new HashSet<>();

	/**
	 * Reads every line and hands each message to the sink, in file order.
	 * @param reader the CSV
	 * @param sink receives the messages
	 * @return the number of invoice lines read
	 * @throws IOException on a read error
	 */
	long read(BufferedReader reader, Consumer<Map<String, Object>> sink) throws IOException {
		String header = reader.readLine();
		if (!HEADER.equals(header)) {
			throw new IllegalArgumentException("not the Online Retail CSV: header is " + header);
		}
		long lines = 0;
		// an invoice's lines are not always contiguous in the file: group them all first
		Map<String, List<List<String>>> invoices = new LinkedHashMap<>();
		String line;
		while ((line = reader.readLine()) != null) {
			if (line.isBlank()) {
				continue;
			}
			lines++;
			List<String> fields = Csv.fields(line);
			invoices.computeIfAbsent(fields.get(0), (invoice) -> new ArrayList<>()).add(fields);
		}
		for (List<List<String>> invoice : invoices.values()) {
			emit(invoice, sink);
		}
		return lines;
	}

	private void emit(List<List<String>> lines, Consumer<Map<String, Object>> sink) {
		List<String> first = lines.get(0);
		String invoiceNo = first.get(0);
		String timestamp = first.get(4);
		String customerId = first.get(6);
		String country = first.get(7);
		boolean known = !customerId.isBlank();
		if (known && this.identified.add(customerId)) {
			Map<String, Object> identify = message("identify", "retail-identify-" + customerId, timestamp);
			identify.put("userId", customerId);
			identify.put("traits", Map.of("country", country, "customerId", customerId));
			sink.accept(identify);
		}
		BigDecimal revenue = BigDecimal.ZERO;
		List<Map<String, Object>> products = new ArrayList<>();
		for (List<String> fields : lines) {
			BigDecimal quantity = new BigDecimal(fields.get(3));
			BigDecimal price = new BigDecimal(fields.get(5));
			revenue = revenue.add(quantity.multiply(price));
			Map<String, Object> product = new LinkedHashMap<>();
			product.put("product_id", fields.get(1));
			product.put("name", fields.get(2));
			product.put("price", price);
			product.put("quantity", quantity);
			products.add(product);
		}
		boolean cancellation = invoiceNo.startsWith("C");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("order_id", invoiceNo);
		properties.put(cancellation ? "total" : "revenue", revenue);
		properties.put("currency", "GBP");
		properties.put("country", country);
		properties.put("product_count", products.size());
		properties.put("products", products.subList(0, Math.min(PRODUCTS_PER_MESSAGE, products.size())));
		sink.accept(track(cancellation ? "Order Refunded" : "Order Completed", "retail-order-" + invoiceNo, timestamp,
				customerId, invoiceNo, properties));
		for (int from = PRODUCTS_PER_MESSAGE, part = 2; from < products.size(); from += PRODUCTS_PER_MESSAGE, part++) {
			Map<String, Object> rest = new LinkedHashMap<>();
			rest.put("order_id", invoiceNo);
			rest.put("part", part);
			rest.put("products", products.subList(from, Math.min(from + PRODUCTS_PER_MESSAGE, products.size())));
			sink.accept(track("Order Line Items", "retail-order-" + invoiceNo + "-part-" + part, timestamp, customerId,
					invoiceNo, rest));
		}
	}

	private static Map<String, Object> track(String event, String messageId, String timestamp, String customerId,
			String invoiceNo, Map<String, Object> properties) {
		Map<String, Object> track = message("track", messageId, timestamp);
		if (!customerId.isBlank()) {
			track.put("userId", customerId);
		}
		else {
			track.put("anonymousId", "guest-" + invoiceNo);
		}
		track.put("event", event);
		track.put("properties", properties);
		return track;
	}

	private static Map<String, Object> message(String type, String messageId, String timestamp) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", type);
		message.put("messageId", messageId);
		message.put("timestamp", timestamp);
		message.put("context", Map.of("library", Map.of("name", "lodestar-sample-loader", "version", Version.PROJECT)));
		return message;
	}

}
