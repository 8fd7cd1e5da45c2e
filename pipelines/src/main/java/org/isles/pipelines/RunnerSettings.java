package org.isles.pipelines;

import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Which Beam runner executes a pipeline and how wide. Every pipeline of the product takes one, so
 * moving from one machine to a Flink cluster is a flag, not a code change.
 *
 * @param runner "DirectRunner" or "FlinkRunner"
 * @param parallelism worker threads (Direct) or task slots (Flink); 0 means one per core, or on a
 *     Flink cluster the slots it has free
 * @param flinkMaster "[local]" for Flink embedded in this JVM, or host:port of a cluster's JobManager
 */
public record RunnerSettings(String runner, int parallelism, String flinkMaster) implements Serializable {
  public static final String DIRECT = "DirectRunner";
  public static final String FLINK = "FlinkRunner";
  /** Times Flink re-runs a failed task (a lost TaskManager) before the job fails, and the pause before each. */
  static final int FLINK_RETRIES = 3;
  static final long FLINK_RETRY_DELAY_MILLIS = 2000;

  public RunnerSettings {
    if (!runner.equals(DIRECT) && !runner.equals(FLINK)) {
      throw new IllegalArgumentException("unknown runner '" + runner + "': use " + DIRECT + " or " + FLINK);
    }
    if (parallelism < 0) {
      throw new IllegalArgumentException("parallelism must be >= 0, got " + parallelism);
    }
  }

  public static RunnerSettings direct() {
    return new RunnerSettings(DIRECT, 0, "[local]");
  }

  public static RunnerSettings flinkEmbedded(int parallelism) {
    return new RunnerSettings(FLINK, parallelism, "[local]");
  }

  public int effectiveParallelism() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Pipeline options for this runner, named after the job so runs are recognisable in Flink's UI.
   * Every runner is submitted without blocking so that {@link StageRun} can show progress.
   */
  public PipelineOptions pipelineOptions(String jobName) {
    return pipelineOptions(jobName, true, effectiveParallelism());
  }

  /**
   * Options for a job of a few long elements that must each have a slot of their own (training:
   * one model per element). On Flink these use the DataSet translation, which spreads the
   * elements over the slots; its DataStream source ran both of a test's two jobs one after the
   * other in one subtask on embedded Flink. Progress then arrives as each task ends, and a lost
   * TaskManager restarts the whole job (train's --resume continues from the checkpoints).
   *
   * <p>The Direct runner gets no more workers than there are elements ({@link #workersFor}): its
   * fixed pool runs the runner's own monitor on any idle worker, and the monitor spins there, a
   * whole core, while no bundle completes (apache/beam#18070). Under one model that is half of a
   * 2-core machine.
   */
  public PipelineOptions pipelineOptionsOnePerSlot(String jobName, int elements) {
    return pipelineOptions(jobName, false, workersFor(elements));
  }

  /** Workers a job of {@code elements} long elements keeps busy: at most one per element. */
  public int workersFor(int elements) {
    if (elements < 1) {
      throw new IllegalArgumentException("a job needs at least one element, got " + elements);
    }
    return Math.min(effectiveParallelism(), elements);
  }

  /**
   * Torch threads for each of {@code models} models trained at once in this JVM (Direct, or Flink
   * embedded): {@code requested}, lowered so the models' threads do not outnumber the cores. On a
   * Flink cluster the TaskManagers' cores are not known here, and {@code requested} stands.
   */
  public int torchThreadsPerModel(int requested, int models) {
    if (requested < 1) {
      throw new IllegalArgumentException("torch threads must be >= 1, got " + requested);
    }
    if (runner.equals(FLINK) && FlinkCluster.at(flinkMaster) != null) {
      return requested;
    }
    return Math.min(requested, coresPer(workersFor(models)));
  }

  /** This machine's cores shared out over the workers, at least one each: a worker's torch threads. */
  public int coresPerWorker() {
    return coresPer(effectiveParallelism());
  }

  private static int coresPer(int workers) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
  }

  private PipelineOptions pipelineOptions(String jobName, boolean dataStream, int directWorkers) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setJobName(jobName);
    if (runner.equals(FLINK)) {
      return flinkOptions(options.as(FlinkPipelineOptions.class), dataStream);
    }
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setRunner(DirectRunner.class);
    direct.setTargetParallelism(directWorkers);
    direct.setBlockOnRun(false);
    // Volumes are large byte arrays; Direct's immutability checks would copy and hash every one.
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    return direct;
  }

  private FlinkPipelineOptions flinkOptions(FlinkPipelineOptions flink, boolean dataStream) {
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster(flinkMaster);
    FlinkCluster cluster = FlinkCluster.at(flinkMaster);
    if (cluster == null) {
      flink.setParallelism(effectiveParallelism());
    } else {
      flink.setParallelism(cluster.parallelism(parallelism));
      ownJar().ifPresent(jar -> flink.setFilesToStage(List.of(jar.toString())));
    }
    // Detached: the driver polls the job's state and metrics instead of blocking in run().
    flink.setAttachedMode(false);
    flink.setJobCheckIntervalInSecs(1);
    // Batch on Flink's DataStream API (unless one slot per element matters more): its operators
    // publish Beam's counters as Flink metrics after each bundle, which the driver reads while the
    // job runs (the DataSet translation publishes them when a task ends), and its blocking
    // exchanges make each task its own failover region, so a lost TaskManager costs only its own
    // tasks, which re-run on any free slot instead of waiting for the whole job's slots again.
    flink.setUseDataStreamForBatch(dataStream);
    // One element per bundle: Beam's Flink operators publish their metrics when a bundle ends,
    // and a batch bundle is otherwise a whole task's input. Elements here are cases of seconds
    // to minutes each, so the per-bundle cost does not show.
    flink.setMaxBundleSize(1L);
    flink.setNumberOfExecutionRetries(FLINK_RETRIES);
    flink.setExecutionRetryDelay(FLINK_RETRY_DELAY_MILLIS);
    return flink;
  }

  /**
   * The jar this code runs from, which is what a cluster's TaskManagers must load; empty when it
   * runs from class directories (tests), where Beam stages the class path itself.
   */
  private static Optional<Path> ownJar() {
    try {
      Path location = Path.of(RunnerSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | SecurityException e) {
      return Optional.empty();
    }
  }
}
