package io.lodestar.etl.streaming;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The explicit, configurable rules that keep valid but unwanted events out of profiles:
 * {@code test_source} (a source marked as test traffic), {@code test_email} (an email
 * trait matching a test pattern), {@code bot_user_agent} (a known crawler or automation
 * user agent), {@code impossible_rate} (more events from one identity in one second than
 * a person can make). Serialisable to the Spark tasks.
 *
 * @param testSources {@code workspace/source} pairs whose events are test traffic
 * @param testEmails patterns of test email addresses
 * @param botUserAgents lower-case fragments of bot user agents
 * @param maxEventsPerSecond the most events one identity can make in one second
 */
record QuarantineRules(Set<String> testSources, List<Pattern> testEmails, List<String> botUserAgents,
		int maxEventsPerSecond) implements Serializable {

	static QuarantineRules of(List<String> testSources, List<String> testEmails, List<String> botUserAgents,
			int maxEventsPerSecond) {
		return new QuarantineRules(Set.copyOf(testSources), testEmails.stream().map(Pattern::compile).toList(),
				botUserAgents.stream().map((fragment) -> fragment.toLowerCase(Locale.ROOT)).toList(),
				maxEventsPerSecond);
	}

	/** Counts events per identity and second within one chunk of a partition. */
	RateWindow newRateWindow() {
		return new RateWindow(this.maxEventsPerSecond);
	}

	/**
	 * The first rule the event breaks.
	 * @param event the event
	 * @param rates the chunk's rate window
	 * @return the rule's name, or empty when the event may be applied
	 */
	Optional<String> check(IncomingEvent event, RateWindow rates) {
		if (event.sourceId() != null && this.testSources.contains(event.workspaceId() + "/" + event.sourceId())) {
			return Optional.of("test_source");
		}
		if (event.email() != null && this.testEmails.stream().anyMatch((p) -> p.matcher(event.email()).find())) {
			return Optional.of("test_email");
		}
		if (event.userAgent() != null) {
			String agent = event.userAgent().toLowerCase(Locale.ROOT);
			if (this.botUserAgents.stream().anyMatch(agent::contains)) {
				return Optional.of("bot_user_agent");
			}
		}
		if (!rates.admit(event)) {
			return Optional.of("impossible_rate");
		}
		return Optional.empty();
	}

	/**
	 * Events per (workspace, identity, second) seen so far. Per chunk: a burst split
	 * across chunks or partitions is counted in parts, so the rule catches floods, not
	 * borderline cases.
	 */
	static final class RateWindow {

		private final int max;

		private final Map<String, Integer> counts = new HashMap<>();

		RateWindow(int max) {
			this.max = max;
		}

		boolean admit(IncomingEvent event) {
			if (this.max <= 0) {
				return true;
			}
			String identity = (event.userId() != null) ? "u:" + event.userId()
					: (event.anonymousId() != null) ? "a:" + event.anonymousId()
							: "d:" + event.advertisingId() + ":" + event.deviceId() + ":" + event.email();
			String key = event.workspaceId() + '|' + identity + '|' + event.occurredAt().getEpochSecond();
			return this.counts.merge(key, 1, Integer::sum) <= this.max;
		}

	}

}
