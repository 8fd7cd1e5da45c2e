package org.isles.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** An idle Direct worker spins the runner's monitor, so a job of long elements gets no more workers than elements. */
  @Test
  void directJobOfLongElementsHasNoIdleWorker() {
    RunnerSettings direct = new RunnerSettings(RunnerSettings.DIRECT, 4, "[local]");
    assertEquals(1, targetParallelism(direct, 1));
    assertEquals(3, targetParallelism(direct, 3));
    assertEquals(4, targetParallelism(direct, 9));
    assertEquals(4, direct.pipelineOptions("job").as(DirectOptions.class).getTargetParallelism());
    assertThrows(IllegalArgumentException.class, () -> direct.workersFor(0));
  }

  @Test
  void modelsTrainedAtOnceShareTheCoresWithoutOutnumberingThem() {
    RunnerSettings oneWorkerPerCore = new RunnerSettings(RunnerSettings.DIRECT, 0, "[local]");
    assertEquals(CORES, oneWorkerPerCore.torchThreadsPerModel(CORES + 5, 1));
    assertEquals(1, oneWorkerPerCore.torchThreadsPerModel(1, 1));
    assertEquals(1, oneWorkerPerCore.torchThreadsPerModel(4, CORES));
    assertEquals(1, oneWorkerPerCore.torchThreadsPerModel(4, 10 * CORES));
    RunnerSettings twoWorkers = new RunnerSettings(RunnerSettings.DIRECT, 2, "[local]");
    assertEquals(Math.max(1, CORES / 2), twoWorkers.torchThreadsPerModel(64, 5));
    assertEquals(Math.min(3, CORES), RunnerSettings.flinkEmbedded(0).torchThreadsPerModel(3, 1));
  }

  /** On a cluster the TaskManagers' cores are not this machine's: the requested threads stand. */
  @Test
  void clusterKeepsTheRequestedThreads() {
    RunnerSettings cluster = new RunnerSettings(RunnerSettings.FLINK, 0, "127.0.0.1:1");
    assertEquals(8 * CORES, cluster.torchThreadsPerModel(8 * CORES, 3));
    assertThrows(IllegalArgumentException.class, () -> cluster.torchThreadsPerModel(0, 1));
  }

  private static int targetParallelism(RunnerSettings settings, int elements) {
    return settings.pipelineOptionsOnePerSlot("job", elements).as(DirectOptions.class).getTargetParallelism();
  }
}
