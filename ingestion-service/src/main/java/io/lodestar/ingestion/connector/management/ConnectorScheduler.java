package io.lodestar.ingestion.connector.management;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.ConnectorProperties;

/**
 * Looks for due connectors every tick (their cron schedule came, a run was queued, a
 * daily-quota pause ended) and runs them on a small pool. Every instance ticks; the
 * runner's advisory lock lets one of them run a given connector.
 */
@Component
class ConnectorScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ConnectorScheduler.class);

	private final ConnectorStore store;

	private final ConnectorRunner runner;

	private final Clock clock;

	private final ConnectorProperties.Scheduler settings;

	private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

	private ScheduledExecutorService ticker;

	private ExecutorService runs;

	private volatile boolean running;

	ConnectorScheduler(ConnectorStore store, ConnectorRunner runner, Clock clock, ConnectorProperties properties) {
		this.store = store;
		this.runner = runner;
		this.clock = clock;
		this.settings = properties.scheduler();
	}

	@Override
	public void start() {
		if (!this.settings.enabled()) {
			log.info("Connector scheduler disabled on this instance");
			return;
		}
		AtomicInteger threads = new AtomicInteger();
		this.runs = Executors.newFixedThreadPool(this.settings.maxConcurrentRuns(),
				(task) -> new Thread(task, "connector-run-" + threads.incrementAndGet()));
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> new Thread(task, "connector-scheduler"));
		this.ticker.scheduleWithFixedDelay(this::tick, this.settings.tick().toMillis(), this.settings.tick().toMillis(),
				TimeUnit.MILLISECONDS);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.runs.shutdownNow();
			try {
				this.runs.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Asks for a look now (a run was queued through the API). */
	void wakeUp() {
		if (this.running) {
			try {
				this.ticker.execute(this::tick);
			}
			catch (RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	void tick() {
		try {
			int resumed = this.store.resumeExpiredPauses(this.clock.instant());
			if (resumed > 0) {
				log.info("Resumed {} connectors whose daily quota reset", resumed);
			}
			for (UUID id : this.store.due(this.clock.instant(), 100)) {
				if (this.inFlight.add(id)) {
					try {
						this.runs.execute(() -> runOne(id));
					}
					catch (RejectedExecutionException ex) {
						this.inFlight.remove(id);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Connector scheduler tick failed: {}", ex.toString());
		}
	}

	private void runOne(UUID id) {
		try {
			this.runner.runIfDue(id);
		}
		catch (RuntimeException ex) {
			log.error("Connector {} run ended unexpectedly", id, ex);
		}
		finally {
			this.inFlight.remove(id);
		}
	}

}
