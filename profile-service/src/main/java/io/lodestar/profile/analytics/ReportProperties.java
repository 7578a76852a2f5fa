package io.lodestar.profile.analytics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled reports, prefix {@code lodestar.profile.reports}.
 *
 * @param from the sender address of report e-mails
 * @param pollInterval how often due reports are looked for
 */
@ConfigurationProperties("lodestar.profile.reports")
record ReportProperties(@DefaultValue("reports@lodestar.local") String from,
		@DefaultValue("30s") Duration pollInterval) {
}
