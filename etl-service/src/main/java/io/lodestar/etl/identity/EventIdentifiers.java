package io.lodestar.etl.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

/**
 * The identifiers an event carries, in their stored form, junk removed — the one
 * extraction the streaming job and the batch recompute share, so that the same event
 * gives the same identifiers in both:
 * <ul>
 * <li>{@code user_id}: the envelope's userId; {@code anonymous_id}: its anonymousId and
 * an alias's previousId;</li>
 * <li>{@code email_sha256}, {@code phone_sha256}: {@code traits.email} / {@code .phone}
 * (identify), else {@code context.traits.email} / {@code .phone}, normalised and
 * hashed;</li>
 * <li>{@code device_id}: {@code context.device.advertisingId} (ADID/IDFA),
 * {@code context.device.id} and {@code context.device.appsFlyerId};</li>
 * <li>{@code customer_id}: {@code context.externalIds[]} entries whose {@code type} is
 * {@code <source>_customer_id} (e.g. {@code shopify_customer_id}), stored as
 * {@code <source>:<id>}.</li>
 * </ul>
 */
public final class EventIdentifiers {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern CUSTOMER_TYPE = Pattern.compile("^([a-z0-9][a-z0-9-]*)_customer_id$");

	private EventIdentifiers() {
	}

	/**
	 * @param rules the rules (their extra junk values)
	 * @param userId the envelope's userId, may be null
	 * @param anonymousId the envelope's anonymousId, may be null
	 * @param previousId an alias's previousId, may be null
	 * @param traits the payload's traits, may be null
	 * @param context the envelope's context, may be null
	 * @return the identifiers, each once
	 */
	public static List<Identifier> of(IdentityRules rules, String userId, String anonymousId, String previousId,
			JsonNode traits, JsonNode context) {
		List<Identifier> identifiers = new ArrayList<>(6);
		add(rules, identifiers, IdentifierKind.USER_ID, userId);
		add(rules, identifiers, IdentifierKind.ANONYMOUS_ID, anonymousId);
		add(rules, identifiers, IdentifierKind.ANONYMOUS_ID, previousId);
		JsonNode contextTraits = (context != null) ? context.path("traits") : null;
		add(rules, identifiers, IdentifierKind.EMAIL_SHA256, firstText(traits, contextTraits, "email"));
		add(rules, identifiers, IdentifierKind.PHONE_SHA256, firstText(traits, contextTraits, "phone"));
		if (context != null) {
			JsonNode device = context.path("device");
			add(rules, identifiers, IdentifierKind.DEVICE_ID, text(device, "advertisingId"));
			add(rules, identifiers, IdentifierKind.DEVICE_ID, text(device, "id"));
			add(rules, identifiers, IdentifierKind.DEVICE_ID, text(device, "appsFlyerId"));
			JsonNode externalIds = context.path("externalIds");
			if (externalIds.isArray()) {
				for (JsonNode externalId : externalIds) {
					String type = text(externalId, "type");
					Matcher matcher = (type != null) ? CUSTOMER_TYPE.matcher(type.toLowerCase(Locale.ROOT)) : null;
					String id = text(externalId, "id");
					if (matcher != null && matcher.matches() && !rules.blocked(id)) {
						Identifiers.customerId(matcher.group(1), id)
							.map((value) -> new Identifier(IdentifierKind.CUSTOMER_ID, value))
							.filter((identifier) -> !identifiers.contains(identifier))
							.ifPresent(identifiers::add);
					}
				}
			}
		}
		return identifiers;
	}

	/**
	 * Parses JSON text into a tree for {@link #of}.
	 * @param json JSON text, may be null
	 * @return the tree, or null when absent or not JSON
	 */
	public static JsonNode tree(String json) {
		if (json == null || json.isBlank()) {
			return null;
		}
		try {
			return JSON.readTree(json);
		}
		catch (java.io.IOException ex) {
			return null;
		}
	}

	private static void add(IdentityRules rules, List<Identifier> identifiers, IdentifierKind kind, String raw) {
		if (raw == null || rules.blocked(raw)) {
			return;
		}
		Optional<String> stored = Identifiers.storedValue(kind, raw);
		if (stored.isPresent() && stored.get().length() <= 255) {
			Identifier identifier = new Identifier(kind, stored.get());
			if (!identifiers.contains(identifier)) {
				identifiers.add(identifier);
			}
		}
	}

	private static String firstText(JsonNode first, JsonNode second, String field) {
		String value = text(first, field);
		return (value != null) ? value : text(second, field);
	}

	private static String text(JsonNode node, String field) {
		if (node == null) {
			return null;
		}
		JsonNode value = node.get(field);
		return (value != null && (value.isTextual() || value.isNumber())) ? value.asText() : null;
	}

}
