package io.lodestar.profile.ltv;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refits every workspace's LTV models on {@code lodestar.profile.ltv.refit-cron} (until
 * the pipeline's scheduler drives it); one workspace's failure does not stop the others.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(LtvProperties.class)
class LtvScheduler {

	private static final Logger logger = LoggerFactory.getLogger(LtvScheduler.class);

	private final LtvService ltv;

	private final JdbcClient jdbc;

	LtvScheduler(LtvService ltv, JdbcClient jdbc) {
		this.ltv = ltv;
		this.jdbc = jdbc;
	}

	@Scheduled(cron = "${lodestar.profile.ltv.refit-cron:0 30 3 * * *}")
	void refitAll() {
		List<String> workspaces = this.jdbc.sql("select distinct workspace_id from profile.profile")
			.query(String.class)
			.list();
		for (String workspace : workspaces) {
			try {
				this.ltv.fit(workspace);
			}
			catch (RuntimeException ex) {
				logger.warn("Workspace {}: LTV refit failed ({})", workspace, ex.getClass().getSimpleName());
			}
		}
	}

}
