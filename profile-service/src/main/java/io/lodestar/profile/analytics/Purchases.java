package io.lodestar.profile.analytics;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;

import io.lodestar.profile.ltv.LtvProperties;

/**
 * What a purchase is, shared with the LTV models: a track event named in
 * {@code lodestar.profile.ltv.purchase-events} whose value is the first present of
 * {@code revenue-properties}.
 */
@Component
class Purchases {

	private final LtvProperties ltv;

	Purchases(LtvProperties ltv) {
		this.ltv = ltv;
	}

	/** The condition "event {@code alias} is a purchase", binding {@code :purchases}. */
	String isPurchase(String alias, MapSqlParameterSource parameters) {
		parameters.addValue("purchases", this.ltv.purchaseEvents());
		return "(" + alias + ".event_type = 'track' and " + alias + ".event_name in (:purchases))";
	}

	/** The purchase's value (null when it has none), binding {@code :revenueN}. */
	String value(String alias, MapSqlParameterSource parameters) {
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.ltv.revenueProperties().size(); i++) {
			parameters.addValue("revenue" + i, this.ltv.revenueProperties().get(i));
			values.add("profile.number_or_null(" + alias + ".properties ->> :revenue" + i + ")");
		}
		return (values.size() == 1) ? values.get(0) : "coalesce(" + String.join(", ", values) + ")";
	}

	List<String> events() {
		return this.ltv.purchaseEvents();
	}

}
