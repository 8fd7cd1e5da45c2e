package org.isles.augment;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.isles.sampling.TrainingSample;

/**
 * Computes training samples in background threads ahead of the trainer. Samples come out of
 * {@link #take()} in step order (epoch by epoch, sample by sample) whatever the threads'
 * timing, because each step's sample depends only on its (seed, epoch, index); at most
 * {@code prefetch} steps are computed ahead of the consumer.
 *
 * <p>{@link #waitTime()} is the time {@code take()} spent blocked, from which the trainer reports
 * the fraction of its time spent waiting for data. Closing stops and joins every worker.
 */
public final class PatchLoader implements AutoCloseable {
  private static final AtomicInteger LOADERS = new AtomicInteger();

  private final TrainingSampleSource source;
  private final int prefetch;
  private final Thread[] workers;
  private final Map<Long, TrainingSample> ready = new HashMap<>();
  private long nextClaim;
  private long nextTake;
  private long waitNanos;
  private boolean closed;
  private Throwable failure;

  /**
   * @param startEpoch the epoch of the first sample (the first epoch to run when resuming)
   * @param threads number of worker threads
   * @param prefetch how many steps may be computed ahead of the consumer, at least {@code threads}
   */
  public PatchLoader(TrainingSampleSource source, int startEpoch, int threads, int prefetch) {
    if (threads <= 0 || prefetch < threads) {
      throw new IllegalArgumentException("need threads >= 1 and prefetch >= threads, got " + threads + " and " + prefetch);
    }
    this.source = source;
    this.prefetch = prefetch;
    this.nextClaim = (long) startEpoch * source.samplesPerEpoch();
    this.nextTake = nextClaim;
    int loader = LOADERS.incrementAndGet();
    this.workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(this::work, "patch-loader-" + loader + "-" + t);
      workers[t].setDaemon(true);
      workers[t].start();
    }
  }

  /** The next sample in step order, waiting for it if needed. */
  public synchronized TrainingSample take() throws InterruptedException {
    long waitStart = System.nanoTime();
    try {
      while (!ready.containsKey(nextTake)) {
        if (failure != null) {
          throw new IllegalStateException("patch loader failed: " + failure.getMessage(), failure);
        }
        if (closed) {
          throw new IllegalStateException("patch loader is closed");
        }
        wait();
      }
    } finally {
      waitNanos += System.nanoTime() - waitStart;
    }
    TrainingSample sample = ready.remove(nextTake++);
    notifyAll();
    return sample;
  }

  /** Total time {@link #take()} has waited for samples. */
  public synchronized Duration waitTime() {
    return Duration.ofNanos(waitNanos);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      ready.clear();
      notifyAll();
    }
    boolean interrupted = false;
    for (Thread worker : workers) {
      worker.interrupt();
      while (worker.isAlive()) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void work() {
    try {
      while (true) {
        long step = claim();
        if (step < 0) {
          return;
        }
        int epoch = Math.toIntExact(step / source.samplesPerEpoch());
        int index = (int) (step % source.samplesPerEpoch());
        TrainingSample sample = source.sample(epoch, index);
        synchronized (this) {
          if (closed) {
            return;
          }
          ready.put(step, sample);
          notifyAll();
        }
      }
    } catch (InterruptedException e) {
      // close() interrupts a worker that waits for room; it just ends.
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        if (failure == null) {
          failure = e;
        }
        notifyAll();
      }
    }
  }

  /** The next step to compute once there is room ahead of the consumer, or -1 after close. */
  private synchronized long claim() throws InterruptedException {
    while (!closed && failure == null && nextClaim >= nextTake + prefetch) {
      wait();
    }
    return closed || failure != null ? -1 : nextClaim++;
  }
}
