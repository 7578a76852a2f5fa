package io.lodestar.profile.ltv;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * LTV settings, prefix {@code lodestar.profile.ltv}.
 *
 * @param purchaseEvents the track events that are purchases
 * @param revenueProperties the properties holding a purchase's value, first present wins
 * @param refitCron when every workspace's models are refitted ("-" never)
 * @param minimumCustomers fewer customers than this and no model is fitted
 */
@ConfigurationProperties("lodestar.profile.ltv")
public record LtvProperties(@DefaultValue("Order Completed") List<String> purchaseEvents, @DefaultValue( {
		"revenue", "total", "value" }) List<String> revenueProperties, @DefaultValue("0 30 3 * * *") String refitCron,
		@DefaultValue("20") int minimumCustomers){
}
