package io.lodestar.profile.timeline;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeline settings, prefix {@code lodestar.profile.timeline}.
 *
 * @param retention how long events stay in PostgreSQL ({@code profile.profile_event});
 * older ones are pruned and read from the lake behind the same API. Zero keeps every
 * event (the default). Analytics answer from PostgreSQL, so their reach is this
 * retention.
 * @param pruneInterval how often events past the retention are pruned
 * @param pruneBatch rows deleted per statement while pruning
 */
@ConfigurationProperties("lodestar.profile.timeline")
public record TimelineProperties(@DefaultValue("0s") Duration retention, @DefaultValue("1h") Duration pruneInterval,
		@DefaultValue("10000") int pruneBatch) {

	boolean keepsEverything() {
		return this.retention.isZero() || this.retention.isNegative();
	}

}
