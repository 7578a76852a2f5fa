package io.lodestar.etl.traits;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Traits settings, prefix {@code lodestar.etl.traits}.
 *
 * @param strategies per-trait merge strategies, {@code key=strategy,…} (latest, first,
 * max, min, append; every other trait: latest)
 * @param purchaseEvents the track events that are purchases
 * @param revenueProperties the properties a purchase's value is read from, the first
 * number wins
 * @param sessionTimeout inactivity that ends a session
 */
@ConfigurationProperties("lodestar.etl.traits")
public record TraitsProperties(String strategies, List<String> purchaseEvents, List<String> revenueProperties,
		Duration sessionTimeout) {

	/**
	 * @return the traits these settings describe
	 */
	public Traits traits() {
		return new Traits(TraitStrategies.parse(this.strategies),
				(this.purchaseEvents != null) ? this.purchaseEvents : List.of("Order Completed"),
				(this.revenueProperties != null) ? this.revenueProperties : List.of("revenue", "total", "value"),
				(this.sessionTimeout != null) ? this.sessionTimeout : Duration.ofMinutes(30));
	}

}
