package io.lodestar.ingestion.connector.filedrop;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.Identity;
import io.lodestar.ingestion.connector.MalformedPageException;

/**
 * The e-commerce behaviour CSV ({@code event_time,event_type,product_id,category_id,
 * category_code,brand,price,user_id,user_session}) read into {@code track} events in the
 * collector's envelope. The message id is a hash of the row, so importing the same file
 * (or an overlapping one) again yields the same event ids and is deduplicated downstream.
 */
public final class BehaviourCsv {

	/** The header the file must start with. */
	public static final List<String> HEADER = List.of("event_time", "event_type", "product_id", "category_id",
			"category_code", "brand", "price", "user_id", "user_session");

	private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

	private static final Map<String, String> EVENT_NAMES = Map.of("view", "Product Viewed", "cart", "Product Added",
			"remove_from_cart", "Product Removed", "purchase", "Order Completed");

	private BehaviourCsv() {
	}

	/**
	 * Checks the header line.
	 * @param line the first line of the file
	 * @throws MalformedPageException if it is not the expected header
	 */
	public static void checkHeader(String line) {
		List<String> columns = List.of(stripBom(line).trim().split(",", -1));
		if (!columns.equals(HEADER)) {
			throw new MalformedPageException("Behaviour CSV header must be " + String.join(",", HEADER));
		}
	}

	/**
	 * Reads one data line into a track event.
	 * @param line the CSV line (no quoted fields in this format)
	 * @param lineNumber its 1-based number, for error messages
	 * @param workspaceId the connector's workspace
	 * @param sourceId the connector's id as source
	 * @param receivedAt when the file was read
	 * @return the event
	 * @throws MalformedPageException naming the line and column
	 */
	public static EventEnvelope toEvent(String line, long lineNumber, String workspaceId, String sourceId,
			Instant receivedAt) {
		String[] cells = line.split(",", -1);
		if (cells.length != HEADER.size()) {
			throw new MalformedPageException(
					"line " + lineNumber + " has " + cells.length + " columns, expected " + HEADER.size());
		}
		Instant occurredAt;
		try {
			occurredAt = LocalDateTime.parse(cells[0], EVENT_TIME).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException("line " + lineNumber + " event_time is not 'yyyy-MM-dd HH:mm:ss UTC'");
		}
		String name = EVENT_NAMES.get(cells[1]);
		if (name == null) {
			throw new MalformedPageException(
					"line " + lineNumber + " event_type is not one of " + EVENT_NAMES.keySet());
		}
		if (cells[7].isBlank() && cells[8].isBlank()) {
			throw new MalformedPageException("line " + lineNumber + " has neither user_id nor user_session");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("productId", required(cells[2], "product_id", lineNumber));
		// 64-bit ids stay strings: JSON consumers in other languages lose precision
		// beyond 2^53
		putIfPresent(properties, "categoryId", cells[3]);
		putIfPresent(properties, "categoryCode", cells[4]);
		putIfPresent(properties, "brand", cells[5]);
		try {
			properties.put("price", new BigDecimal(required(cells[6], "price", lineNumber)));
		}
		catch (NumberFormatException ex) {
			throw new MalformedPageException("line " + lineNumber + " price is not a number");
		}
		putIfPresent(properties, "session", cells[8]);
		String messageId = "fd-" + sha256(line);
		Identity identity = new Identity(cells[7].isBlank() ? null : cells[7], cells[8].isBlank() ? null : cells[8]);
		return new EventEnvelope(EventEnvelope.eventIdFor(workspaceId, messageId), EventType.TRACK.id(),
				EventType.TRACK.schemaVersion(), occurredAt, receivedAt, workspaceId, sourceId, messageId, identity,
				null, Map.of("event", name, "properties", properties));
	}

	/**
	 * The SHA-256 of a text, hex.
	 * @param text the text
	 * @return 64 hex digits
	 */
	static String sha256(String text) {
		return io.lodestar.ingestion.connector.Hashes.sha256(text);
	}

	private static String required(String value, String column, long lineNumber) {
		if (value.isBlank()) {
			throw new MalformedPageException("line " + lineNumber + " " + column + " is empty");
		}
		return value;
	}

	private static void putIfPresent(Map<String, Object> properties, String name, String value) {
		if (!value.isBlank()) {
			properties.put(name, value);
		}
	}

	private static String stripBom(String line) {
		return line.startsWith("\uFEFF") ? line.substring(1) : line;
	}

}
