package org.isles.pipelines;

import java.io.Serializable;
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
 * @param parallelism worker threads (Direct) or task slots (Flink); 0 means one per core
 * @param flinkMaster "[local]" for Flink embedded in this JVM, or host:port of a cluster's JobManager
 */
public record RunnerSettings(String runner, int parallelism, String flinkMaster) implements Serializable {
  public static final String DIRECT = "DirectRunner";
  public static final String FLINK = "FlinkRunner";

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

  /** Pipeline options for this runner, named after the job so runs are recognisable in Flink's UI. */
  public PipelineOptions pipelineOptions(String jobName) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setJobName(jobName);
    if (runner.equals(FLINK)) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setRunner(FlinkRunner.class);
      flink.setFlinkMaster(flinkMaster);
      flink.setParallelism(effectiveParallelism());
      flink.setAttachedMode(true);
      return flink;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setRunner(DirectRunner.class);
    direct.setTargetParallelism(effectiveParallelism());
    // Volumes are large byte arrays; Direct's immutability checks would copy and hash every one.
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    return direct;
  }
}
