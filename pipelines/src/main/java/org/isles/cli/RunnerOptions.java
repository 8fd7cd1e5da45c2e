package org.isles.cli;

import org.isles.pipelines.RunnerSettings;
import picocli.CommandLine.Option;

/** The runner flags every pipeline command shares. */
public final class RunnerOptions {
  @Option(names = "--runner", defaultValue = RunnerSettings.DIRECT, description = "DirectRunner (default) or FlinkRunner.")
  String runner;

  @Option(names = "--parallelism", defaultValue = "0", description = "Workers (Direct) or task slots (Flink); 0 = one per core, or a Flink cluster's free slots.")
  int parallelism;

  @Option(
      names = "--flink-master",
      defaultValue = "[local]",
      description = "Flink JobManager REST host:port (scripts/flink-cluster prints it); [local] (default) runs Flink embedded in this JVM.")
  String flinkMaster;

  public RunnerSettings settings() {
    return new RunnerSettings(runner, parallelism, flinkMaster);
  }
}
