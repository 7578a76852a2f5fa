package io.lodestar.ingestion.connector.ratelimit;

import java.time.Duration;

/**
 * Waits. Production sleeps the thread; tests advance a clock instead.
 */
@FunctionalInterface
public interface Sleeper {

	/** Sleeps the current thread. */
	Sleeper THREAD = (duration) -> Thread.sleep(duration.toMillis());

	/**
	 * Waits for a duration.
	 * @param duration how long
	 * @throws InterruptedException if interrupted while waiting
	 */
	void sleep(Duration duration) throws InterruptedException;

}
