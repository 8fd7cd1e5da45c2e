package org.isles.pipelines;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts finished units of work on the terminal ("preprocess: 12/24 cases, 3.1 cases/s, ETA 4 s").
 * One instance lives per JVM and job name, so DoFns on the Direct runner or embedded Flink report
 * into the driver's terminal; on a cluster each worker logs its own share.
 */
public final class Progress {
  private static final java.util.concurrent.ConcurrentHashMap<String, Progress> BY_JOB =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String label;
  private final int total;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final PrintStream out;

  private Progress(String label, int total, PrintStream out) {
    this.label = label;
    this.total = total;
    this.out = out;
  }

  /** Starts (or restarts) counting for a job in this JVM. */
  public static Progress start(String label, int total) {
    Progress progress = new Progress(label, total, System.err);
    BY_JOB.put(label, progress);
    return progress;
  }

  /** Records one finished unit for the job, if this JVM started counting it. */
  public static void step(String label, String what) {
    Progress progress = BY_JOB.get(label);
    if (progress != null) {
      progress.step(what);
    }
  }

  public void step(String what) {
    int n = done.incrementAndGet();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = n / Math.max(seconds, 1e-9);
    String eta = total > n ? String.format(", ETA %.0f s", (total - n) / rate) : "";
    out.printf("%s: %d/%d %s (%.2f/s%s)%n", label, n, total, what, rate, eta);
  }

  public int done() {
    return done.get();
  }
}
