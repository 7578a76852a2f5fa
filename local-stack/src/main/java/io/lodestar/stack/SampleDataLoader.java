package io.lodestar.stack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Replays the UCI Online Retail set through the collector as Segment-spec events, with
 * the generated web sessions and screen traffic of {@link SampleSessions}, in batches of
 * 100 on a few connections.
 */
final class SampleDataLoader {

	static final Path DATASET = Path.of("data", "sample", "online_retail.csv.gz");

	private static final int BATCH_SIZE = 100;

	private static final int CONNECTIONS = 4;

	private final CollectorClient collector;

	private final PrintStream out;

	SampleDataLoader(CollectorClient collector, PrintStream out) {
		this.collector = collector;
		this.out = out;
	}

	/**
	 * Loads the file.
	 * @param file the gzipped CSV
	 * @return the number of events sent
	 */
	long load(Path file) {
		long started = System.nanoTime();
		AtomicLong sent = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
		List<Future<?>> pending = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
			List<List<Map<String, Object>>> batches = new ArrayList<>();
			List<Map<String, Object>> current = new ArrayList<>();
			SampleSessions sessions = new SampleSessions((message) -> {
				current.add(message);
				if (current.size() == BATCH_SIZE) {
					batches.add(new ArrayList<>(current));
					current.clear();
				}
			});
			long lines = new RetailEvents().read(reader, sessions);
			sessions.finish();
			if (!current.isEmpty()) {
				batches.add(current);
			}
			for (List<Map<String, Object>> batch : batches) {
				pending.add(pool.submit(() -> {
					try {
						this.collector.send(batch);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
					long total = sent.addAndGet(batch.size());
					if (total / 10_000 != (total - batch.size()) / 10_000) {
						this.out.printf("    … %,d events sent%n", total);
					}
				}));
			}
			for (Future<?> future : pending) {
				future.get();
			}
			this.out.printf(
					"  ✓ sample data: %,d invoice lines (and generated web sessions and kiosk traffic) → %,d events in %.1f s%n",
					lines, sent.get(), (System.nanoTime() - started) / 1e9);
			return sent.get();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException("loading the sample data failed: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

}
