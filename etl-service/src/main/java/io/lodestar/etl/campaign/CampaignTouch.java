package io.lodestar.etl.campaign;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The campaign parameters of one event, as {@code profile.campaign_touch} holds them:
 * {@code context.campaign} ({@code source}, {@code medium}, {@code name}, {@code term},
 * {@code content}, as Segment's SDKs send the utm_* parameters) first, then the
 * {@code utm_*} parameters of the page URL ({@code context.page.url} / {@code .search},
 * or a page event's {@code url} / {@code search} properties) for what is still missing,
 * and the first ad click id among {@code gclid}, {@code gbraid}, {@code wbraid},
 * {@code fbclid}, {@code msclkid}, {@code ttclid}. A click id without a utm_source names
 * its platform: Google and Microsoft Ads {@code cpc}, TikTok {@code paid_social},
 * Facebook {@code social} (fbclid is also added to organic shares). Source and medium are
 * lower-cased.
 *
 * @param source utm_source
 * @param medium utm_medium
 * @param campaign utm_campaign (Segment's {@code name})
 * @param term utm_term
 * @param content utm_content
 * @param clickIdKind the ad click id's parameter, or null
 */
public record CampaignTouch(String source, String medium, String campaign, String term, String content,
		String clickIdKind) {

	private static final List<String> CLICK_IDS = List.of("gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid");

	private static final Map<String, String[]> CLICK_SOURCES = Map.of("gclid", new String[] { "google", "cpc" },
			"gbraid", new String[] { "google", "cpc" }, "wbraid", new String[] { "google", "cpc" }, "msclkid",
			new String[] { "bing", "cpc" }, "ttclid", new String[] { "tiktok", "paid_social" }, "fbclid",
			new String[] { "facebook", "social" });

	/**
	 * The touch an event carries, if any.
	 * @param context the event's context, may be null
	 * @param properties the event's properties, may be null
	 * @return the touch, empty when the event carries no campaign parameter
	 */
	public static Optional<CampaignTouch> of(JsonNode context, JsonNode properties) {
		Map<String, String> parameters = new HashMap<>();
		if (context != null) {
			JsonNode page = context.path("page");
			query(text(page, "url"), parameters);
			query(text(page, "search"), parameters);
		}
		if (properties != null) {
			query(text(properties, "url"), parameters);
			query(text(properties, "search"), parameters);
		}
		JsonNode campaign = (context != null) ? context.path("campaign") : null;
		String source = first(text(campaign, "source"), parameters.get("utm_source"));
		String medium = first(text(campaign, "medium"), parameters.get("utm_medium"));
		String name = first(text(campaign, "name"), parameters.get("utm_campaign"));
		String term = first(text(campaign, "term"), parameters.get("utm_term"));
		String content = first(text(campaign, "content"), parameters.get("utm_content"));
		String clickId = CLICK_IDS.stream().filter(parameters::containsKey).findFirst().orElse(null);
		if (clickId != null && source == null) {
			source = CLICK_SOURCES.get(clickId)[0];
			medium = (medium != null) ? medium : CLICK_SOURCES.get(clickId)[1];
		}
		if (source == null && medium == null && name == null && term == null && content == null && clickId == null) {
			return Optional.empty();
		}
		return Optional.of(new CampaignTouch(lower(limit(source, 255)), lower(limit(medium, 255)), limit(name, 500),
				limit(term, 500), limit(content, 500), clickId));
	}

	/**
	 * Writes the touch, in the caller's transaction (the event's).
	 * @param connection the transaction
	 * @param workspaceId the workspace
	 * @param eventId the event
	 * @param profileId its profile
	 * @param occurredAt when it happened
	 * @throws SQLException on a database error
	 */
	public void insert(Connection connection, String workspaceId, UUID eventId, UUID profileId, Instant occurredAt)
			throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(
				"""
						insert into profile.campaign_touch
						    (workspace_id, event_id, profile_id, occurred_at, source, medium, campaign, term, content, click_id_kind)
						values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
			insert.setString(1, workspaceId);
			insert.setObject(2, eventId);
			insert.setObject(3, profileId);
			insert.setTimestamp(4, Timestamp.from(occurredAt));
			insert.setString(5, this.source);
			insert.setString(6, this.medium);
			insert.setString(7, this.campaign);
			insert.setString(8, this.term);
			insert.setString(9, this.content);
			insert.setString(10, this.clickIdKind);
			insert.executeUpdate();
		}
	}

	/** Adds the parameters of a URL or query string ({@code ?a=b&c=d}) not seen yet. */
	private static void query(String urlOrQuery, Map<String, String> parameters) {
		if (urlOrQuery == null) {
			return;
		}
		int question = urlOrQuery.indexOf('?');
		String query = (question >= 0) ? urlOrQuery.substring(question + 1) : urlOrQuery;
		int hash = query.indexOf('#');
		if (hash >= 0) {
			query = query.substring(0, hash);
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String key = decode(pair.substring(0, equals)).toLowerCase(Locale.ROOT);
			String value = decode(pair.substring(equals + 1)).strip();
			if ((key.startsWith("utm_") || CLICK_IDS.contains(key)) && !value.isEmpty()) {
				parameters.putIfAbsent(key, value);
			}
		}
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

	private static String text(JsonNode node, String field) {
		if (node == null) {
			return null;
		}
		JsonNode value = node.get(field);
		return (value != null && value.isTextual() && !value.asText().isBlank()) ? value.asText().strip() : null;
	}

	private static String first(String a, String b) {
		return (a != null) ? a : b;
	}

	private static String limit(String value, int max) {
		return (value == null || value.length() <= max) ? value : value.substring(0, max);
	}

	private static String lower(String value) {
		return (value != null) ? value.toLowerCase(Locale.ROOT) : null;
	}

}
