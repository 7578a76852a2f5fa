package io.lodestar.etl.streaming;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.stereotype.Component;

/**
 * Orders the writers of profiles in this process: streaming micro-batches (events and
 * connector records) and the identity recompute's merges write under the shared side, any
 * number at once; a profile rebuild replaces profiles under the exclusive side, so no
 * event is applied to PostgreSQL between the lake snapshot it reads and the profiles it
 * writes. Streaming waits meanwhile (its events wait in Kafka), nothing is lost. Fair, so
 * a waiting rebuild is not starved by back-to-back micro-batches.
 */
@Component
public class ProfileWriteGate {

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

	/**
	 * Runs a write that may run alongside others.
	 * @param write the write
	 */
	public void shared(Runnable write) {
		this.lock.readLock().lock();
		try {
			write.run();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Runs a write that may run alongside others.
	 * @param <T> its result's type
	 * @param write the write
	 * @return its result
	 * @throws Exception what the write throws
	 */
	public <T> T shared(Callable<T> write) throws Exception {
		this.lock.readLock().lock();
		try {
			return write.call();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	/**
	 * Runs work while no other profile write runs.
	 * @param <T> its result's type
	 * @param work the work
	 * @return its result
	 * @throws Exception what the work throws
	 */
	public <T> T exclusive(Callable<T> work) throws Exception {
		this.lock.writeLock().lockInterruptibly();
		try {
			return work.call();
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

}
