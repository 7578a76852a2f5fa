package io.lodestar.ingestion.connector;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lodestar.ingestion.connector.ratelimit.Sleeper;

/**
 * A sleeper that never sleeps: it records each wait and moves the test clock by it.
 */
public final class RecordingSleeper implements Sleeper {

	private final MutableClock clock;

	private final List<Duration> waits = new CopyOnWriteArrayList<>();

	public RecordingSleeper(MutableClock clock) {
		this.clock = clock;
	}

	@Override
	public void sleep(Duration duration) {
		this.waits.add(duration);
		this.clock.advance(duration);
	}

	public List<Duration> waits() {
		return List.copyOf(this.waits);
	}

	public void clear() {
		this.waits.clear();
	}

}
