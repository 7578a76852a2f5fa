package io.lodestar.ingestion.connector.filedrop;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.EventType;
import io.lodestar.contracts.event.Identity;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;

/**
 * A CSV column mapping: which columns make an event's identity, time, name, properties
 * and traits, so any tabular export (the UCI Online Retail invoice lines, a CRM dump)
 * becomes {@code track} or {@code identify} events. A value is a column name, or an
 * object: {@code {"column": c, "type": "string|integer|decimal|boolean", "prefix": p}},
 * {@code {"value": constant}}, or {@code {"multiply": [a, b]}} (decimals). Empty cells
 * are left out; {@code fallbackAnonymousId} identifies a row that has neither a user id
 * nor an anonymous id (a guest checkout). The message id is a hash of the
 * {@code messageId} columns, else of the whole row, so importing the same file again
 * yields the same event ids.
 */
final class CsvMapping {

	private final EventType type;

	private final String event;

	private final Value eventColumn;

	private final Value userId;

	private final Value anonymousId;

	private final Value fallbackAnonymousId;

	private final Value timestamp;

	private final DateTimeFormatter timestampFormat;

	private final ZoneId zone;

	private final List<String> messageIdColumns;

	private final Map<String, Value> properties;

	private final Map<String, Value> traits;

	private CsvMapping(EventType type, String event, Value eventColumn, Value userId, Value anonymousId,
			Value fallbackAnonymousId, Value timestamp, DateTimeFormatter timestampFormat, ZoneId zone,
			List<String> messageIdColumns, Map<String, Value> properties, Map<String, Value> traits) {
		this.type = type;
		this.event = event;
		this.eventColumn = eventColumn;
		this.userId = userId;
		this.anonymousId = anonymousId;
		this.fallbackAnonymousId = fallbackAnonymousId;
		this.timestamp = timestamp;
		this.timestampFormat = timestampFormat;
		this.zone = zone;
		this.messageIdColumns = messageIdColumns;
		this.properties = properties;
		this.traits = traits;
	}

	/**
	 * Reads a mapping, reporting every problem under {@code settings.mapping}.
	 * @param node the mapping object
	 * @param errors the errors
	 * @return the mapping, or null if it has errors
	 */
	static CsvMapping parse(JsonNode node, FieldErrors errors) {
		String at = "settings.mapping";
		if (node == null || !node.isObject()) {
			errors.add(at, "is required for the csv format: an object naming the columns");
			return null;
		}
		int before = errors.asList().size();
		String typeName = node.path("type").asString("track");
		EventType type = EventType.fromId(typeName)
			.filter((t) -> t == EventType.TRACK || t == EventType.IDENTIFY)
			.orElse(null);
		if (type == null) {
			errors.add(at + ".type", "must be track or identify");
		}
		String event = node.path("event").isString() ? node.get("event").stringValue() : null;
		Value eventColumn = value(node.get("eventColumn"), at + ".eventColumn", errors);
		if (type == EventType.TRACK && event == null && eventColumn == null) {
			errors.add(at + ".event", "a track mapping needs 'event' (a name) or 'eventColumn'");
		}
		Value userId = value(node.get("userId"), at + ".userId", errors);
		Value anonymousId = value(node.get("anonymousId"), at + ".anonymousId", errors);
		Value fallback = value(node.get("fallbackAnonymousId"), at + ".fallbackAnonymousId", errors);
		if (userId == null && anonymousId == null) {
			errors.add(at + ".userId", "name the column of the user id (or anonymousId)");
		}
		Value timestamp = value(node.get("timestamp"), at + ".timestamp", errors);
		DateTimeFormatter format = null;
		if (node.hasNonNull("timestampFormat")) {
			try {
				format = DateTimeFormatter.ofPattern(node.get("timestampFormat").asString());
			}
			catch (IllegalArgumentException ex) {
				errors.add(at + ".timestampFormat", "is not a date-time pattern such as 'yyyy-MM-dd HH:mm:ss'");
			}
		}
		ZoneId zone = ZoneOffset.UTC;
		if (node.hasNonNull("timeZone")) {
			try {
				zone = ZoneId.of(node.get("timeZone").asString());
			}
			catch (RuntimeException ex) {
				errors.add(at + ".timeZone", "must be a time zone such as Europe/London");
			}
		}
		List<String> messageId = new ArrayList<>();
		JsonNode ids = node.get("messageId");
		if (ids != null && !ids.isNull()) {
			if (!ids.isArray() || ids.isEmpty()) {
				errors.add(at + ".messageId", "must be a list of column names");
			}
			else {
				ids.forEach((id) -> messageId.add(id.asString()));
			}
		}
		Map<String, Value> properties = values(node.get("properties"), at + ".properties", errors);
		Map<String, Value> traits = values(node.get("traits"), at + ".traits", errors);
		if (errors.asList().size() > before) {
			return null;
		}
		return new CsvMapping(type, event, eventColumn, userId, anonymousId, fallback, timestamp, format, zone,
				List.copyOf(messageId), properties, traits);
	}

	/**
	 * The mapping bound to a file's header.
	 * @param header the header's columns
	 * @return the bound mapping
	 * @throws MalformedPageException if a column the mapping names is not in the header
	 */
	Bound bind(List<String> header) {
		Map<String, Integer> index = new LinkedHashMap<>();
		for (int i = 0; i < header.size(); i++) {
			index.putIfAbsent(header.get(i).trim().replace("\uFEFF", ""), i);
		}
		List<String> missing = new ArrayList<>();
		for (Value value : all()) {
			for (String column : value.columns()) {
				if (!index.containsKey(column)) {
					missing.add(column);
				}
			}
		}
		for (String column : this.messageIdColumns) {
			if (!index.containsKey(column)) {
				missing.add(column);
			}
		}
		if (!missing.isEmpty()) {
			throw new MalformedPageException("the header has no column "
					+ String.join(", ", missing.stream().distinct().map((c) -> "'" + c + "'").toList())
					+ " named in the mapping");
		}
		int[] idColumns = this.messageIdColumns.stream().mapToInt(index::get).toArray();
		return new Bound(index, idColumns, header.size());
	}

	private List<Value> all() {
		List<Value> all = new ArrayList<>();
		for (Value value : new Value[] { this.eventColumn, this.userId, this.anonymousId, this.fallbackAnonymousId,
				this.timestamp }) {
			if (value != null) {
				all.add(value);
			}
		}
		all.addAll(this.properties.values());
		all.addAll(this.traits.values());
		return all;
	}

	/** The mapping with a header's column positions. */
	final class Bound {

		private final Map<String, Integer> index;

		private final int[] idColumns;

		private final int width;

		private Bound(Map<String, Integer> index, int[] idColumns, int width) {
			this.index = index;
			this.idColumns = idColumns;
			this.width = width;
		}

		/**
		 * One row as an event.
		 * @param cells the row
		 * @param raw the row as in the file (hashed for the message id)
		 * @param lineNumber its line, for errors
		 * @param workspaceId the workspace
		 * @param sourceId the connector id
		 * @param receivedAt when it was read
		 * @return the event
		 * @throws MalformedPageException naming the line and column
		 */
		EventEnvelope toEvent(List<String> cells, String raw, long lineNumber, String workspaceId, String sourceId,
				Instant receivedAt) {
			if (cells.size() != this.width) {
				throw new MalformedPageException(
						"line " + lineNumber + " has " + cells.size() + " columns, the header " + this.width);
			}
			String user = text(CsvMapping.this.userId, cells);
			String anonymous = text(CsvMapping.this.anonymousId, cells);
			if (user == null && anonymous == null) {
				anonymous = text(CsvMapping.this.fallbackAnonymousId, cells);
			}
			if (user == null && anonymous == null) {
				throw new MalformedPageException("line " + lineNumber + " has no user id");
			}
			Instant occurredAt = receivedAt;
			if (CsvMapping.this.timestamp != null) {
				String time = text(CsvMapping.this.timestamp, cells);
				if (time == null) {
					throw new MalformedPageException("line " + lineNumber + " has no timestamp");
				}
				occurredAt = instant(time, lineNumber);
			}
			String messageId;
			if (this.idColumns.length > 0) {
				StringBuilder key = new StringBuilder();
				for (int column : this.idColumns) {
					key.append(cells.get(column)).append('\u0000');
				}
				messageId = "fd-" + BehaviourCsv.sha256(key.toString());
			}
			else {
				messageId = "fd-" + BehaviourCsv.sha256(raw);
			}
			Map<String, Object> payload = new LinkedHashMap<>();
			if (CsvMapping.this.type == EventType.TRACK) {
				String name = (CsvMapping.this.eventColumn != null) ? text(CsvMapping.this.eventColumn, cells)
						: CsvMapping.this.event;
				if (name == null) {
					throw new MalformedPageException("line " + lineNumber + " has no event name");
				}
				payload.put("event", name);
				payload.put("properties", map(CsvMapping.this.properties, cells, lineNumber));
			}
			else {
				payload.put("traits", map(CsvMapping.this.traits, cells, lineNumber));
			}
			Map<String, Object> context = null;
			if (CsvMapping.this.type == EventType.TRACK && !CsvMapping.this.traits.isEmpty()) {
				context = Map.of("traits", map(CsvMapping.this.traits, cells, lineNumber));
			}
			EventType type = CsvMapping.this.type;
			return new EventEnvelope(EventEnvelope.eventIdFor(workspaceId, messageId), type.id(), type.schemaVersion(),
					occurredAt, receivedAt, workspaceId, sourceId, messageId, new Identity(user, anonymous), context,
					payload);
		}

		private Map<String, Object> map(Map<String, Value> values, List<String> cells, long lineNumber) {
			Map<String, Object> out = new LinkedHashMap<>(values.size() * 2);
			for (Map.Entry<String, Value> entry : values.entrySet()) {
				Object converted = entry.getValue().read(this.index, cells, entry.getKey(), lineNumber);
				if (converted != null) {
					out.put(entry.getKey(), converted);
				}
			}
			return out;
		}

		private String text(Value value, List<String> cells) {
			if (value == null) {
				return null;
			}
			Object read = value.read(this.index, cells, "identity", 0);
			return (read != null) ? read.toString() : null;
		}

	}

	private Instant instant(String text, long lineNumber) {
		try {
			if (CsvMapping.this.timestampFormat == null) {
				if (text.length() == 10) {
					return LocalDate.parse(text).atStartOfDay(this.zone).toInstant();
				}
				try {
					return OffsetDateTime.parse(text).toInstant();
				}
				catch (DateTimeParseException ex) {
					return LocalDateTime.parse(text).atZone(this.zone).toInstant();
				}
			}
			return LocalDateTime.parse(text, this.timestampFormat).atZone(this.zone).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new MalformedPageException("line " + lineNumber + " timestamp is not "
					+ ((this.timestampFormat != null) ? "in the mapping's format" : "ISO-8601"));
		}
	}

	private static Map<String, Value> values(JsonNode node, String at, FieldErrors errors) {
		Map<String, Value> values = new LinkedHashMap<>();
		if (node == null || node.isNull()) {
			return values;
		}
		if (!node.isObject()) {
			errors.add(at, "must be an object of name to column");
			return values;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			Value value = value(entry.getValue(), at + "." + entry.getKey(), errors);
			if (value != null) {
				values.put(entry.getKey(), value);
			}
		}
		return values;
	}

	private static Value value(JsonNode node, String at, FieldErrors errors) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (node.isString()) {
			return new Value(node.stringValue(), "string", "", null, null);
		}
		if (!node.isObject()) {
			errors.add(at, "must be a column name or an object with 'column', 'value' or 'multiply'");
			return null;
		}
		if (node.has("value")) {
			return new Value(null, "constant", "",
					node.get("value").isNumber() ? node.get("value").decimalValue() : node.get("value").asString(),
					null);
		}
		if (node.has("multiply")) {
			JsonNode factors = node.get("multiply");
			if (!factors.isArray() || factors.size() != 2) {
				errors.add(at + ".multiply", "must name two columns");
				return null;
			}
			return new Value(null, "multiply", "", null, List.of(factors.get(0).asString(), factors.get(1).asString()));
		}
		String column = node.path("column").asString("");
		if (column.isBlank()) {
			errors.add(at + ".column", "is required");
			return null;
		}
		String type = node.path("type").asString("string");
		if (!List.of("string", "integer", "decimal", "boolean").contains(type)) {
			errors.add(at + ".type", "must be string, integer, decimal or boolean");
			return null;
		}
		return new Value(column, type, node.path("prefix").asString(""), null, null);
	}

	/** A value read from a row. */
	private record Value(String column, String type, String prefix, Object constant, List<String> factors) {

		List<String> columns() {
			if (this.factors != null) {
				return this.factors;
			}
			return (this.column != null) ? List.of(this.column) : List.of();
		}

		Object read(Map<String, Integer> index, List<String> cells, String name, long lineNumber) {
			if ("constant".equals(this.type)) {
				return this.constant;
			}
			if (this.factors != null) {
				BigDecimal product = BigDecimal.ONE;
				for (String factor : this.factors) {
					String cell = cells.get(index.get(factor)).trim();
					if (cell.isEmpty()) {
						return null;
					}
					try {
						product = product.multiply(new BigDecimal(cell));
					}
					catch (NumberFormatException ex) {
						throw new MalformedPageException(
								"line " + lineNumber + " column '" + factor + "' is not a number");
					}
				}
				return product;
			}
			String cell = cells.get(index.get(this.column));
			if (cell.isEmpty() || cell.isBlank()) {
				return null;
			}
			try {
				return switch (this.type) {
					case "integer" -> Long.parseLong(cell.trim());
					case "decimal" -> new BigDecimal(cell.trim());
					case "boolean" -> switch (cell.trim().toLowerCase(java.util.Locale.ROOT)) {
						case "true", "1", "yes" -> Boolean.TRUE;
						case "false", "0", "no" -> Boolean.FALSE;
						default -> throw new NumberFormatException();
					};
					default -> this.prefix + cell;
				};
			}
			catch (NumberFormatException ex) {
				throw new MalformedPageException(
						"line " + lineNumber + " column '" + this.column + "' is not " + article(this.type));
			}
		}

		private static String article(String type) {
			return type.equals("integer") ? "an integer" : "a " + type;
		}

	}

}
