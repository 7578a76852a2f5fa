package io.lodestar.etl.identity;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.lodestar.contracts.identity.IdentifierKind;

/**
 * The identity graph's settings, prefix {@code lodestar.etl.identity}.
 *
 * @param email limits of email addresses
 * @param phone limits of phone numbers
 * @param customerId limits of connector customer ids
 * @param deviceId limits of device ids
 * @param anonymousId limits of anonymous ids
 * @param junkValues raw values that identify nobody, on top of the contracts' list
 * (compared trimmed and case-insensitively)
 */
@ConfigurationProperties("lodestar.etl.identity")
public record IdentityProperties(Limit email, Limit phone, Limit customerId, Limit deviceId, Limit anonymousId,
		List<String> junkValues) {

	/**
	 * @param maxPerProfile the most values of this kind one profile holds (0: no limit)
	 * @param maxOwners how many other profiles may contest a value before it is shared
	 */
	public record Limit(int maxPerProfile, int maxOwners) {
	}

	/**
	 * @return the rules these settings describe
	 */
	public IdentityRules rules() {
		Map<IdentifierKind, IdentityRules.Limit> limits = new EnumMap<>(IdentityRules.Limit.DEFAULTS);
		put(limits, IdentifierKind.EMAIL_SHA256, this.email);
		put(limits, IdentifierKind.PHONE_SHA256, this.phone);
		put(limits, IdentifierKind.CUSTOMER_ID, this.customerId);
		put(limits, IdentifierKind.DEVICE_ID, this.deviceId);
		put(limits, IdentifierKind.ANONYMOUS_ID, this.anonymousId);
		Set<String> junk = (this.junkValues != null) ? this.junkValues.stream()
			.map((value) -> value.strip().toLowerCase(Locale.ROOT))
			.filter((value) -> !value.isEmpty())
			.collect(Collectors.toSet()) : Set.of();
		return new IdentityRules(limits, junk);
	}

	private static void put(Map<IdentifierKind, IdentityRules.Limit> limits, IdentifierKind kind, Limit limit) {
		if (limit != null) {
			limits.put(kind, new IdentityRules.Limit(limit.maxPerProfile(), limit.maxOwners()));
		}
	}

}
