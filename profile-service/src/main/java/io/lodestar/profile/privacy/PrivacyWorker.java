package io.lodestar.profile.privacy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs due privacy requests one after another. A failed attempt is retried with a
 * doubling backoff until {@code maxAttempts}; then the request is marked failed with the
 * reason. Logs carry request and profile ids, never identifiers.
 */
@Component
class PrivacyWorker {

	private static final Logger logger = LoggerFactory.getLogger(PrivacyWorker.class);

	private final PrivacyRequests requests;

	private final PrivacyJobs jobs;

	private final PrivacyProperties properties;

	private final Clock clock = Clock.systemUTC();

	PrivacyWorker(PrivacyRequests requests, PrivacyJobs jobs, PrivacyProperties properties) {
		this.requests = requests;
		this.jobs = jobs;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${lodestar.profile.privacy.poll-interval:1s}",
			initialDelayString = "${lodestar.profile.privacy.poll-interval:1s}")
	void runDue() {
		Optional<PrivacyRequests.Claimed> next;
		while ((next = this.requests.claim(this.properties.lease())).isPresent()) {
			run(next.get());
		}
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
	void deleteExpiredExports() {
		int deleted = this.requests.deleteExpiredExports();
		if (deleted > 0) {
			logger.info("Deleted {} expired access exports", deleted);
		}
	}

	private void run(PrivacyRequests.Claimed request) {
		logger.info("Privacy request {} ({}) for profile {}: attempt {}", request.requestId(), request.kind(),
				request.profileId(), request.attempts());
		try {
			if ("erasure".equals(request.kind())) {
				this.jobs.erase(request);
			}
			else {
				this.jobs.access(request);
			}
			logger.info("Privacy request {} completed", request.requestId());
		}
		catch (RuntimeException ex) {
			String reason = ex.getClass().getSimpleName() + " in the " + request.kind() + " job";
			if (request.attempts() >= this.properties.maxAttempts()) {
				logger.warn("Privacy request {} failed after {} attempts: {}", request.requestId(), request.attempts(),
						reason);
				this.requests.fail(request.requestId(), reason);
			}
			else {
				Duration wait = this.properties.retryBackoff().multipliedBy(1L << Math.min(request.attempts() - 1, 10));
				logger.warn("Privacy request {} attempt {} failed ({}); retrying in {}", request.requestId(),
						request.attempts(), reason, wait);
				this.requests.retryLater(request.requestId(), reason, this.clock.instant().plus(wait));
			}
		}
	}

}
