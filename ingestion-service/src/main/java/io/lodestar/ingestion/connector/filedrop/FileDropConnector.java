package io.lodestar.ingestion.connector.filedrop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import io.lodestar.contracts.event.EventEnvelope;
import io.lodestar.contracts.event.RejectedEvent;
import io.lodestar.ingestion.collector.MessageNormalizer;
import io.lodestar.ingestion.connector.ConnectorContext;
import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.Csv;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.MalformedPageException;
import io.lodestar.ingestion.connector.ProcessedFile;
import io.lodestar.ingestion.connector.RecordSink;
import io.lodestar.ingestion.connector.SourceConnector;
import io.lodestar.ingestion.writekey.WriteKeyOwner;

/**
 * {@code file-drop}: imports files dropped in a local folder (inside the service's
 * file-drop root) or an S3-compatible bucket, each version of each object once (key and
 * ETag), as ordinary events on {@code cdp.ingestion.events}. Formats:
 * {@code behaviour-csv} (the e-commerce behaviour export), {@code csv} with a column
 * mapping, {@code ndjson} and {@code json} (an array of Segment-spec messages, or an
 * object with a {@code batch} array). {@code .gz} files are read decompressed. A row that
 * cannot be read goes to the dead-letter topic with its line and reason; a file that
 * cannot be read at all (wrong header, not UTF-8) is recorded with its error and not
 * retried until it changes.
 */
@Component
public class FileDropConnector implements SourceConnector {

	/** The kind's wire id. */
	public static final String KIND = "file-drop";

	static final List<String> FORMATS = List.of("behaviour-csv", "csv", "ndjson", "json");

	private static final Logger log = LoggerFactory.getLogger(FileDropConnector.class);

	private static final int MAX_MESSAGE_BYTES = 32 * 1024;

	private final ConnectorProperties.FileDrop fileDrop;

	private final MessageNormalizer normalizer = new MessageNormalizer(MAX_MESSAGE_BYTES);

	private final S3Buckets buckets;

	FileDropConnector(ConnectorProperties properties, S3Buckets buckets) {
		this.fileDrop = properties.fileDrop();
		this.buckets = buckets;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		String location = settings.text("location").orElse("local");
		if ("local".equals(location)) {
			settings.requireText(errors, "folder", null, null);
			settings.text("folder").ifPresent((folder) -> {
				try {
					// where it stays inside any workspace's folder, it stays inside its
					// own
					LocalFolder.resolve(this.fileDrop.root(), "workspace", folder);
				}
				catch (IllegalArgumentException ex) {
					errors.add("settings.folder",
							"must be a folder inside the workspace's file-drop folder (<file-drop root>/<workspace>), without '..'");
				}
			});
		}
		else if ("s3".equals(location)) {
			S3Buckets.validate(settings, credentials, errors);
		}
		else {
			errors.add("settings.location", "must be local or s3");
		}
		String format = settings.text("format").orElse(null);
		if (format == null || !FORMATS.contains(format)) {
			errors.add("settings.format", "must be one of " + FORMATS);
		}
		else if ("csv".equals(format)) {
			CsvMapping.parse(settings.get("mapping"), errors);
		}
		settings.checkOptional(errors, "minAgeSeconds", "integer>=0");
		if (settings.text("delimiter").filter((d) -> d.length() != 1).isPresent()) {
			errors.add("settings.delimiter", "must be one character");
		}
	}

	@Override
	public void check(ConnectorContext context) throws Exception {
		try (DropLocation location = location(context)) {
			location.list();
		}
	}

	@Override
	public void pull(ConnectorContext context, RecordSink sink) throws Exception {
		try (DropLocation location = location(context)) {
			pull(location, context, sink);
		}
	}

	private void pull(DropLocation location, ConnectorContext context, RecordSink sink) throws IOException {
		ConnectorSettings settings = context.settings();
		String format = settings.requiredText("format");
		CsvMapping mapping = "csv".equals(format) ? CsvMapping.parse(settings.get("mapping"), new FieldErrors()) : null;
		char delimiter = settings.text("delimiter").map((d) -> d.charAt(0)).orElse(',');
		for (DropLocation.DropObject object : location.list()) {
			if (context.processed().contains(object.key(), object.etag())) {
				continue;
			}
			Instant receivedAt = context.clock().instant();
			long[] counts = new long[2];
			String error = null;
			try (InputStream raw = location.open(object); Reader reader = reader(object.key(), raw)) {
				switch (format) {
					case "behaviour-csv" -> behaviourCsv(reader, object, context, sink, receivedAt, counts);
					case "csv" -> csv(reader, delimiter, mapping, object, context, sink, receivedAt, counts);
					case "ndjson" -> ndjson(reader, object, context, sink, receivedAt, counts);
					default -> json(reader, object, context, sink, receivedAt, counts);
				}
			}
			catch (MalformedPageException ex) {
				error = ex.getMessage();
			}
			catch (CharacterCodingException ex) {
				error = "the file is not UTF-8";
			}
			catch (java.util.zip.ZipException ex) {
				error = "the file is not gzip although its name ends with .gz";
			}
			if (error != null) {
				log.warn("File {} of connector {} (workspace {}) was not imported: {}", object.key(),
						context.connectorId(), context.workspaceId(), error);
			}
			sink.page();
			sink.processed(new ProcessedFile(object.key(), object.etag(), object.size(), counts[0], counts[1], error));
		}
	}

	private void behaviourCsv(Reader reader, DropLocation.DropObject object, ConnectorContext context, RecordSink sink,
			Instant receivedAt, long[] counts) throws IOException {
		BufferedReader lines = new BufferedReader(reader, 64 * 1024);
		String header = lines.readLine();
		if (header == null) {
			return;
		}
		BehaviourCsv.checkHeader(header);
		String line;
		long number = 1;
		while ((line = lines.readLine()) != null) {
			number++;
			if (line.isBlank()) {
				continue;
			}
			try {
				sink.event(
						BehaviourCsv.toEvent(line, number, context.workspaceId(), context.connectorId(), receivedAt));
				counts[0]++;
			}
			catch (MalformedPageException ex) {
				reject(sink, context, object, number, ex.getMessage(), line, receivedAt, counts);
			}
		}
	}

	private void csv(Reader reader, char delimiter, CsvMapping mapping, DropLocation.DropObject object,
			ConnectorContext context, RecordSink sink, Instant receivedAt, long[] counts) throws IOException {
		Csv rows = new Csv(reader, delimiter);
		List<String> header;
		try {
			header = rows.next();
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedPageException("the header " + ex.getMessage());
		}
		if (header == null) {
			return;
		}
		CsvMapping.Bound bound = mapping.bind(header);
		while (true) {
			List<String> cells;
			try {
				cells = rows.next();
			}
			catch (IllegalArgumentException ex) {
				reject(sink, context, object, rows.recordLine(), ex.getMessage(), rows.raw(), receivedAt, counts);
				return;
			}
			if (cells == null) {
				return;
			}
			if (cells.size() == 1 && cells.get(0).isBlank()) {
				continue;
			}
			try {
				sink.event(bound.toEvent(cells, rows.raw(), rows.recordLine(), context.workspaceId(),
						context.connectorId(), receivedAt));
				counts[0]++;
			}
			catch (MalformedPageException ex) {
				reject(sink, context, object, rows.recordLine(), ex.getMessage(), rows.raw(), receivedAt, counts);
			}
		}
	}

	private void ndjson(Reader reader, DropLocation.DropObject object, ConnectorContext context, RecordSink sink,
			Instant receivedAt, long[] counts) throws IOException {
		BufferedReader lines = new BufferedReader(reader, 64 * 1024);
		String line;
		long number = 0;
		while ((line = lines.readLine()) != null) {
			number++;
			if (line.isBlank()) {
				continue;
			}
			JsonNode message;
			try {
				message = context.json().readTree(line);
			}
			catch (JacksonException ex) {
				reject(sink, context, object, number, "line " + number + " is not JSON", line, receivedAt, counts);
				continue;
			}
			message(message, line, number, object, context, sink, receivedAt, counts);
		}
	}

	private void json(Reader reader, DropLocation.DropObject object, ConnectorContext context, RecordSink sink,
			Instant receivedAt, long[] counts) {
		JsonNode root;
		try {
			root = context.json().readTree(reader);
		}
		catch (JacksonException ex) {
			throw new MalformedPageException("the file is not valid JSON (truncated?)");
		}
		JsonNode messages = (root != null && root.isObject()) ? root.get("batch") : root;
		if (messages == null || !messages.isArray()) {
			throw new MalformedPageException(
					"the file must hold an array of messages or an object with a 'batch' array");
		}
		long index = 0;
		for (JsonNode message : messages) {
			index++;
			message(message, message.toString(), index, object, context, sink, receivedAt, counts);
		}
	}

	private void message(JsonNode message, String text, long number, DropLocation.DropObject object,
			ConnectorContext context, RecordSink sink, Instant receivedAt, long[] counts) {
		if (message.isObject() && !message.hasNonNull("messageId")) {
			// the same line imported again is the same message
			((ObjectNode) message).put("messageId", "fd-" + BehaviourCsv.sha256(text));
		}
		MessageNormalizer.Result result = this.normalizer.normalize(message,
				text.getBytes(StandardCharsets.UTF_8).length, null, null,
				new WriteKeyOwner(context.workspaceId(), context.connectorId()), null, receivedAt);
		if (result.envelope() != null) {
			EventEnvelope envelope = result.envelope();
			sink.event(envelope);
			counts[0]++;
		}
		else {
			reject(sink, context, object, number, String.join("; ", result.reasons()), text, receivedAt, counts);
		}
	}

	private static void reject(RecordSink sink, ConnectorContext context, DropLocation.DropObject object, long line,
			String reason, String raw, Instant receivedAt, long[] counts) {
		String message = (raw.length() > MAX_MESSAGE_BYTES) ? raw.substring(0, MAX_MESSAGE_BYTES) : raw;
		sink.reject(new RejectedEvent(context.workspaceId(), context.connectorId(), receivedAt,
				"file-drop:" + object.key(), (int) Math.min(Integer.MAX_VALUE, line), List.of(reason), message));
		counts[1]++;
	}

	private static Reader reader(String key, InputStream raw) throws IOException {
		InputStream in = key.endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
		return new InputStreamReader(in,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT));
	}

	private DropLocation location(ConnectorContext context) {
		ConnectorSettings settings = context.settings();
		if ("s3".equals(settings.text("location").orElse("local"))) {
			return this.buckets.location(settings, context.credentials());
		}
		Path folder = LocalFolder.resolve(this.fileDrop.root(), context.workspaceId(), settings.requiredText("folder"));
		return new LocalFolder(folder, settings.text("pattern").orElse("*"),
				Duration.ofSeconds(settings.integer("minAgeSeconds", 0)), context.clock().instant());
	}

}
