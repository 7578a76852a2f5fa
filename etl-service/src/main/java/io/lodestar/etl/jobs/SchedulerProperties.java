package io.lodestar.etl.jobs;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's settings, prefix {@code lodestar.etl.scheduler}.
 *
 * @param schedulesEnabled whether cron schedules start runs (manual triggers and retries
 * work either way)
 * @param tick how often an instance looks at its schedules, retries and heartbeats
 * @param zone the time zone of the cron expressions
 * @param threads runs executed at once by this instance
 * @param maxAttempts attempts of a run that keeps failing (1: no retry)
 * @param backoff the wait before the first retry
 * @param backoffMultiplier each further retry waits this many times longer
 * @param maxBackoff the longest wait
 * @param staleAfter a queued or running run whose instance sent no heartbeat for this
 * long is taken over (queued) or failed as abandoned (running, when its lock is free)
 * @param syncWait how long the synchronous RFM endpoint waits for its run
 * @param jobs per job: its cron schedule
 */
@ConfigurationProperties("lodestar.etl.scheduler")
public record SchedulerProperties(@DefaultValue("true") boolean schedulesEnabled, @DefaultValue("15s") Duration tick,
		@DefaultValue("UTC") String zone, @DefaultValue("2") int threads, @DefaultValue("3") int maxAttempts,
		@DefaultValue("1m") Duration backoff, @DefaultValue("2") double backoffMultiplier,
		@DefaultValue("30m") Duration maxBackoff, @DefaultValue("2m") Duration staleAfter,
		@DefaultValue("10m") Duration syncWait, Map<String, JobSchedule> jobs) {

	public SchedulerProperties {
		jobs = (jobs != null) ? Map.copyOf(jobs) : Map.of();
		if (threads < 1) {
			throw new IllegalArgumentException("lodestar.etl.scheduler.threads must be at least 1");
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("lodestar.etl.scheduler.max-attempts must be at least 1");
		}
		ZoneId.of(zone);
	}

	/**
	 * A job's schedule.
	 *
	 * @param cron a Spring cron expression (six fields, seconds first, e.g.
	 * {@code 0 0 2 * * *}), or {@code -} for none (manual runs only)
	 */
	public record JobSchedule(String cron) {
	}

	/**
	 * @param job the job's name
	 * @return its cron expression, or null when it has no schedule
	 */
	String cron(String job) {
		JobSchedule schedule = this.jobs.get(job);
		if (schedule == null || schedule.cron() == null || schedule.cron().isBlank() || "-".equals(schedule.cron())) {
			return null;
		}
		return schedule.cron().trim();
	}

	ZoneId zoneId() {
		return ZoneId.of(this.zone);
	}

	/**
	 * @param failedAttempt the attempt that failed (1 for the first)
	 * @return the wait before the next: {@code backoff * multiplier^(failedAttempt - 1)},
	 * at most {@code maxBackoff}
	 */
	Duration backoffAfter(int failedAttempt) {
		double millis = this.backoff.toMillis() * Math.pow(this.backoffMultiplier, failedAttempt - 1);
		return (millis >= this.maxBackoff.toMillis()) ? this.maxBackoff : Duration.ofMillis((long) millis);
	}

}
