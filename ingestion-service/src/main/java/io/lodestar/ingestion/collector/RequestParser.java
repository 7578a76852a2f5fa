package io.lodestar.ingestion.collector;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses a collector body in one streaming pass: a single message, or a batch whose
 * messages are read one by one with their size in bytes taken from the parser's offsets,
 * so the 32 KB-per-message limit costs no second serialisation.
 */
final class RequestParser {

	private final JsonMapper json;

	private final int maxBatchMessages;

	RequestParser(JsonMapper json, int maxBatchMessages) {
		this.json = json;
		this.maxBatchMessages = maxBatchMessages;
	}

	/**
	 * @param body the decompressed body
	 * @param batch whether the route takes a batch
	 * @return the request's messages, each with its size, and the enclosing object
	 */
	ParsedRequest parse(byte[] body, boolean batch) {
		if (body.length == 0) {
			throw CollectorException.malformed("the body is empty; send a JSON object");
		}
		try (JsonParser parser = this.json.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw CollectorException.malformed("the body must be a JSON object");
			}
			ObjectNode root = this.json.createObjectNode();
			List<JsonNode> messages = null;
			List<Integer> sizes = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (batch && "batch".equals(name) && value == JsonToken.START_ARRAY) {
					messages = new ArrayList<>();
					sizes = new ArrayList<>();
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						if (messages.size() == this.maxBatchMessages) {
							throw CollectorException
								.tooLarge("a batch holds at most " + this.maxBatchMessages + " messages");
						}
						long start = parser.currentTokenLocation().getByteOffset();
						messages.add(parser.readValueAsTree());
						sizes.add((int) (parser.currentLocation().getByteOffset() - start));
					}
				}
				else {
					root.set(name, parser.<JsonNode>readValueAsTree());
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw CollectorException.malformed("the body is not a single JSON object");
			}
			if (!batch) {
				return new ParsedRequest(root, List.of(root), List.of(body.length));
			}
			if (messages == null) {
				throw CollectorException.malformed("a batch needs a \"batch\" array of messages");
			}
			if (messages.isEmpty()) {
				throw CollectorException.malformed("the batch is empty");
			}
			return new ParsedRequest(root, messages, sizes);
		}
		catch (JacksonException ex) {
			throw CollectorException.malformed("the body is not valid JSON (" + ex.getOriginalMessage() + ")");
		}
	}

	/**
	 * @param root the body's object (for a batch: its context, integrations, sentAt,
	 * writeKey)
	 * @param messages the messages
	 * @param sizes each message's size in bytes as sent
	 */
	record ParsedRequest(ObjectNode root, List<JsonNode> messages, List<Integer> sizes) {
	}

}
