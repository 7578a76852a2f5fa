package io.lodestar.etl.traits;

import java.util.Set;

/**
 * The marketing channel of a campaign touch, a simplified version of Google Analytics'
 * default channel grouping: from the ad click id, then the medium, then the source.
 */
public final class Channel {

	private static final Set<String> SEARCH = Set.of("google", "bing", "yahoo", "duckduckgo", "baidu", "yandex",
			"ecosia");

	private static final Set<String> SOCIAL = Set.of("facebook", "instagram", "twitter", "x", "linkedin", "tiktok",
			"pinterest", "reddit", "snapchat", "youtube", "meta", "fb", "ig");

	private Channel() {
	}

	/**
	 * @param source utm_source (lower-case), may be null
	 * @param medium utm_medium (lower-case), may be null
	 * @param clickIdKind the ad click id's parameter, may be null
	 * @return the channel's name
	 */
	public static String of(String source, String medium, String clickIdKind) {
		String m = (medium != null) ? medium : "";
		String s = (source != null) ? source : "";
		String c = (clickIdKind != null) ? clickIdKind : "";
		if (Set.of("gclid", "gbraid", "wbraid", "msclkid").contains(c)
				|| (Set.of("cpc", "ppc", "paidsearch", "paid_search", "sem").contains(m) && !SOCIAL.contains(s))) {
			return "Paid Search";
		}
		if ("ttclid".equals(clickIdKind)
				|| Set.of("paid_social", "paidsocial", "social_paid", "paid-social").contains(m)
				|| (Set.of("cpc", "ppc", "cpm").contains(m) && SOCIAL.contains(s))) {
			return "Paid Social";
		}
		if (Set.of("display", "cpm", "banner", "programmatic").contains(m)) {
			return "Display";
		}
		if (Set.of("email", "e-mail", "e_mail", "newsletter").contains(m) || "newsletter".equals(s)) {
			return "Email";
		}
		if ("affiliate".equals(m) || "affiliates".equals(m)) {
			return "Affiliates";
		}
		if (Set.of("social", "social-network", "social-media", "sm", "organic_social").contains(m) || SOCIAL.contains(s)
				|| "fbclid".equals(clickIdKind)) {
			return "Organic Social";
		}
		if ("organic".equals(m) || (m.isEmpty() && SEARCH.contains(s))) {
			return "Organic Search";
		}
		if ("referral".equals(m)) {
			return "Referral";
		}
		return "Other";
	}

}
