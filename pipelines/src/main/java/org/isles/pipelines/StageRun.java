package org.isles.pipelines;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.core.execution.JobClient;

/**
 * Runs one stage's pipeline and shows its progress on the driver's terminal while it runs
 * ("preprocess: 12/24 cases, 1 failed, 3.1 cases/min, ETA 40 s"). The per-case transforms count
 * into two Beam counters in the stage's namespace, {@value #DONE} and {@value #FAILED}; the driver
 * reads them while the job runs (every runner is submitted without blocking): from the runner's
 * {@link PipelineResult#metrics()} on the Direct runner and embedded Flink (where Flink reports
 * them as each task ends), and from the JobManager's REST API on a cluster, where Beam's Flink
 * operators publish them as Flink metrics after every element.
 */
public final class StageRun {
  public static final String DONE = "done";
  public static final String FAILED = "failed";
  private static final long POLL_MILLIS = 1000;
  private static final long QUIET_MILLIS = 30_000;
  private static final int FINAL_COUNT_ATTEMPTS = 10;

  private final String stage;
  private final String unit;
  private final int total;
  private final PrintStream out = System.err;

  /**
   * @param stage the stage's label and the counters' namespace ("preprocess", "train", ...)
   * @param unit what one element is, for the progress line ("cases", "models")
   * @param total how many elements the job was given
   */
  public StageRun(String stage, String unit, int total) {
    this.stage = stage;
    this.unit = unit;
    this.total = total;
  }

  /** The counter a per-case transform increments for each element it finished. */
  public static Counter done(String stage) {
    return Metrics.counter(stage, DONE);
  }

  /** The counter a per-case transform increments for each element that went to its failures. */
  public static Counter failed(String stage) {
    return Metrics.counter(stage, FAILED);
  }

  /** Finished and failed elements as the runner reports them so far; null when it cannot say. */
  record Counts(long done, long failed) {
    long finished() {
      return done + failed;
    }
  }

  /**
   * Runs the pipeline to its end, printing a progress line whenever the counts move (and every
   * 30 s when they do not). A job that does not finish is one line: its state and its cause.
   */
  public void run(Pipeline pipeline, RunnerSettings runner) {
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    Future<?> flinkJob = result instanceof FlinkDetachedRunnerResult ? flinkJob(result) : null;
    Counts last = new Counts(0, 0);
    long lastPrinted = System.nanoTime();
    FlinkCluster cluster = runner.runner().equals(RunnerSettings.FLINK) ? FlinkCluster.at(runner.flinkMaster()) : null;
    String jobName = pipeline.getOptions().getJobName();
    while (flinkJob != null ? !flinkJob.isDone() : !result.getState().isTerminal()) {
      Counts now = cluster != null ? counts(cluster, jobName) : counts(result);
      // The last line, with the whole run's time, is printed once the job has ended.
      if (now != null && now.finished() < total && (!now.equals(last) || millisSince(lastPrinted) > QUIET_MILLIS)) {
        out.println(line(now, start));
        last = now;
        lastPrinted = System.nanoTime();
      }
      sleep();
    }
    if (flinkJob != null) {
      awaitFlink(flinkJob, pipeline.getOptions().getJobName());
    } else if (result.getState() != PipelineResult.State.DONE) {
      result.waitUntilFinish(); // the Direct runner rethrows the exception the job's code threw
      throw new IllegalStateException(stage + " job " + pipeline.getOptions().getJobName() + " ended " + result.getState());
    }
    Counts end = finalCounts(result, cluster, jobName);
    out.println(end != null && end.finished() >= last.finished() ? line(end, start) : stage + ": finished in " + seconds(start) + " s");
  }

  /**
   * A finished job's counters: Flink hands the accumulators of its ended tasks to the client, and a
   * remote cluster's REST metrics may still hold them, but either can lag the job's end by a moment,
   * so both are asked a few times until they account for every element.
   */
  private Counts finalCounts(PipelineResult result, FlinkCluster cluster, String jobName) {
    Counts best = null;
    for (int attempt = 0; attempt < FINAL_COUNT_ATTEMPTS; attempt++) {
      for (Counts counts : new Counts[] {counts(result), cluster == null ? null : counts(cluster, jobName)}) {
        if (counts != null && (best == null || counts.finished() > best.finished())) {
          best = counts;
        }
      }
      if (best != null && best.finished() >= total) {
        return best;
      }
      sleep();
    }
    return best;
  }

  /**
   * The Flink job's result. Beam 2.62's detached result keeps its Flink JobClient private, and its
   * getState() fails once an embedded Flink has shut down after the job, so the driver waits on
   * the client's job result, which stays readable, and which carries the job's cause of failure.
   */
  private static Future<?> flinkJob(PipelineResult result) {
    try {
      Field client = FlinkDetachedRunnerResult.class.getDeclaredField("jobClient");
      client.setAccessible(true);
      return ((JobClient) client.get(result)).getJobExecutionResult();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot follow the Flink job: this Beam version's FlinkDetachedRunnerResult has no jobClient", e);
    }
  }

  private void awaitFlink(Future<?> job, String jobName) {
    try {
      job.get();
    } catch (ExecutionException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
      throw new IllegalStateException(stage + " job " + jobName + " did not complete on Flink: " + cause
          + "; what it finished is kept, and the same command again runs only the rest", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + jobName, e);
    }
  }

  String line(Counts counts, long startNanos) {
    double minutes = (System.nanoTime() - startNanos) / 60e9;
    double rate = counts.finished() / Math.max(minutes, 1e-9);
    StringBuilder line = new StringBuilder()
        .append(stage).append(": ").append(counts.finished()).append('/').append(total).append(' ').append(unit)
        .append(", ").append(counts.failed()).append(" failed");
    if (counts.finished() > 0) {
      line.append(String.format(", %.1f %s/min", rate, unit));
      long remaining = total - counts.finished();
      if (remaining > 0) {
        line.append(String.format(", ETA %.0f s", remaining / rate * 60));
      } else {
        line.append(", in ").append(seconds(startNanos)).append(" s");
      }
    }
    return line.toString();
  }

  /**
   * On a cluster, from the JobManager's REST API: Beam's Flink runner turns counters into Flink
   * accumulators only when a task ends, but into Flink metrics after every bundle.
   */
  private Counts counts(FlinkCluster cluster, String jobName) {
    try {
      long done = cluster.counter(jobName, stage, DONE);
      long failed = cluster.counter(jobName, stage, FAILED);
      return done < 0 && failed < 0 ? null : new Counts(Math.max(done, 0), Math.max(failed, 0));
    } catch (RuntimeException e) {
      return null; // the JobManager did not answer this time: nothing to show
    }
  }

  private Counts counts(PipelineResult result) {
    MetricQueryResults metrics;
    try {
      metrics = result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(stage)).build());
    } catch (RuntimeException e) {
      return null; // the runner cannot say now (an embedded Flink that has just shut down): nothing to show
    }
    if (!metrics.getCounters().iterator().hasNext()) {
      return null; // no counter reported yet (Flink hands them over as tasks end)
    }
    long done = 0;
    long failed = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      long value = counter.getAttempted() == null ? 0 : counter.getAttempted();
      switch (counter.getName().getName()) {
        case DONE -> done += value;
        case FAILED -> failed += value;
        default -> { }
      }
    }
    return new Counts(done, failed);
  }

  private static long seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e9);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pipeline", e);
    }
  }
}
