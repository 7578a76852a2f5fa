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

	private final ThreadLocal<String[]> lastTimestamp = ThreadLocal.withInitial(() -> new String[1]);

	private final ThreadLocal<Instant[]> lastInstant = ThreadLocal.withInitial(() -> new Instant[1]);

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

	/** A value with the positions of its columns in one file's header. */
	private record Resolved(String name, Value value, int column, int[] factors) {

		static Resolved of(String name, Value value, Map<String, Integer> index) {
			if (value == null) {
				return null;
			}
			int column = (value.column() != null) ? index.get(value.column()) : -1;
			int[] factors = (value.factors() != null) ? value.factors().stream().mapToInt(index::get).toArray() : null;
			return new Resolved(name, value, column, factors);
		}

		Object read(List<String> cells, long lineNumber) {
			return this.value.read(this.column, this.factors, cells, this.name, lineNumber);
		}

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

		private final int[] idColumns;

		private final int width;

		private final Resolved eventColumn;

		private final Resolved userId;

		private final Resolved anonymousId;

		private final Resolved fallbackAnonymousId;

		private final Resolved timestamp;

		private final Resolved[] properties;

		private final Resolved[] traits;

		private Bound(Map<String, Integer> index, int[] idColumns, int width) {
			this.idColumns = idColumns;
			this.width = width;
			this.eventColumn = Resolved.of("eventColumn", CsvMapping.this.eventColumn, index);
			this.userId = Resolved.of("userId", CsvMapping.this.userId, index);
			this.anonymousId = Resolved.of("anonymousId", CsvMapping.this.anonymousId, index);
			this.fallbackAnonymousId = Resolved.of("fallbackAnonymousId", CsvMapping.this.fallbackAnonymousId, index);
			this.timestamp = Resolved.of("timestamp", CsvMapping.this.timestamp, index);
			this.properties = resolve(CsvMapping.this.properties, index);
			this.traits = resolve(CsvMapping.this.traits, index);
		}

		private static Resolved[] resolve(Map<String, Value> values, Map<String, Integer> index) {
			return values.entrySet()
				.stream()
				.map((entry) -> Resolved.of(entry.getKey(), entry.getValue(), index))
				.toArray(Resolved[]::new);
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
			String user = text(this.userId, cells);
			String anonymous = text(this.anonymousId, cells);
			if (user == null && anonymous == null) {
				anonymous = text(this.fallbackAnonymousId, cells);
			}
			if (user == null && anonymous == null) {
				throw new MalformedPageException("line " + lineNumber + " has no user id");
			}
			Instant occurredAt = receivedAt;
			if (this.timestamp != null) {
				String time = text(this.timestamp, cells);
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
				String name = (this.eventColumn != null) ? text(this.eventColumn, cells) : CsvMapping.this.event;
				if (name == null) {
					throw new MalformedPageException("line " + lineNumber + " has no event name");
				}
				payload.put("event", name);
				payload.put("properties", map(this.properties, cells, lineNumber));
			}
			else {
				payload.put("traits", map(this.traits, cells, lineNumber));
			}
			Map<String, Object> context = null;
			if (CsvMapping.this.type == EventType.TRACK && this.traits.length > 0) {
				context = Map.of("traits", map(this.traits, cells, lineNumber));
			}
			EventType type = CsvMapping.this.type;
			return new EventEnvelope(EventEnvelope.eventIdFor(workspaceId, messageId), type.id(), type.schemaVersion(),
					occurredAt, receivedAt, workspaceId, sourceId, messageId, new Identity(user, anonymous), context,
					payload);
		}

		private Map<String, Object> map(Resolved[] values, List<String> cells, long lineNumber) {
			Map<String, Object> out = new LinkedHashMap<>(values.length * 2);
			for (Resolved value : values) {
				Object converted = value.read(cells, lineNumber);
				if (converted != null) {
					out.put(value.name(), converted);
				}
			}
			return out;
		}

		private String text(Resolved value, List<String> cells) {
			if (value == null) {
				return null;
			}
			Object read = value.read(cells, 0);
			return (read != null) ? read.toString() : null;
		}

	}

	private Instant instant(String text, long lineNumber) {
		// exports repeat a timestamp on consecutive lines (an invoice's lines): parse it
		// once
		Instant[] last = this.lastInstant.get();
		String[] lastText = this.lastTimestamp.get();
		if (text.equals(lastText[0])) {
			return last[0];
		}
		Instant parsed = parse(text, lineNumber);
		lastText[0] = text;
		last[0] = parsed;
		return parsed;
	}

	private Instant parse(String text, long lineNumber) {
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

		Object read(int columnIndex, int[] factorIndexes, List<String> cells, String name, long lineNumber) {
			if ("constant".equals(this.type)) {
				return this.constant;
			}
			if (factorIndexes != null) {
				BigDecimal product = BigDecimal.ONE;
				for (int i = 0; i < factorIndexes.length; i++) {
					String cell = cells.get(factorIndexes[i]).trim();
					if (cell.isEmpty()) {
						return null;
					}
					try {
						product = product.multiply(new BigDecimal(cell));
					}
					catch (NumberFormatException ex) {
						throw new MalformedPageException(
								"line " + lineNumber + " column '" + this.factors.get(i) + "' is not a number");
					}
				}
				return product;
			}
			String cell = cells.get(columnIndex);
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
