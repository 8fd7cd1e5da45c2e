package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.isles.sampling.CachedCases;
import org.isles.sampling.PatchSampler;
import org.isles.sampling.PatchSize;
import org.isles.sampling.SyntheticCases;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;
import org.junit.jupiter.api.Test;

class PatchLoaderTest {
  private static final List<TrainingCase> CASES = List.of(
      SyntheticCases.markedCube("a", 24, 8, 14, 1),
      SyntheticCases.randomLabel("b", 20, 18, 16, 2),
      SyntheticCases.noise("c", 12, 22, 14, 2, 3));
  private static final int SAMPLES_PER_EPOCH = 3;

  @Test
  void casesLoadedOnDemandGiveTheSameSamplesAsCasesInMemory() throws Exception {
    Map<String, TrainingCase> byId = CASES.stream().collect(Collectors.toMap(TrainingCase::id, c -> c));
    CachedCases onDemand = new CachedCases(CASES.stream().map(TrainingCase::id).toList(), byId::get, 1);
    List<TrainingSample> inMemory = take(new PatchLoader(source(7), 0, 2, 4), 9);
    List<TrainingSample> cached = take(new PatchLoader(source(onDemand, 7), 0, 2, 4), 9);
    for (int step = 0; step < 9; step++) {
      assertSameSample(inMemory.get(step), cached.get(step));
    }
    assertTrue(onDemand.loads() > CASES.size(), "a cache of one case reloads cases: " + onDemand.loads() + " loads");
  }

  @Test
  void samplesDoNotDependOnThreadCount() throws Exception {
    List<TrainingSample> oneThread = take(new PatchLoader(source(7), 0, 1, 1), 12);
    List<TrainingSample> threeThreads = take(new PatchLoader(source(7), 0, 3, 5), 12);
    for (int step = 0; step < 12; step++) {
      TrainingSample direct = source(7).sample(step / SAMPLES_PER_EPOCH, step % SAMPLES_PER_EPOCH);
      assertSameSample(direct, oneThread.get(step));
      assertSameSample(direct, threeThreads.get(step));
    }
    List<TrainingSample> otherSeed = take(new PatchLoader(source(8), 0, 2, 2), 1);
    assertFalse(java.util.Arrays.equals(oneThread.get(0).image(), otherSeed.get(0).image()));
  }

  @Test
  void resumingAtAnEpochRepeatsThatEpochsSamples() throws Exception {
    List<TrainingSample> fromStart = take(new PatchLoader(source(7), 0, 2, 4), 2 * SAMPLES_PER_EPOCH);
    List<TrainingSample> resumed = take(new PatchLoader(source(7), 1, 2, 4), SAMPLES_PER_EPOCH);
    for (int index = 0; index < SAMPLES_PER_EPOCH; index++) {
      assertSameSample(fromStart.get(SAMPLES_PER_EPOCH + index), resumed.get(index));
    }
  }

  @Test
  void anEpochOfCaseCountIterationsVisitsEveryCaseOnce() {
    TrainingSampleSource source = source(11);
    for (int epoch = 0; epoch < 4; epoch++) {
      Set<String> ids = new HashSet<>();
      for (int index = 0; index < SAMPLES_PER_EPOCH; index++) {
        ids.add(source.sample(epoch, index).caseId());
      }
      assertEquals(Set.of("a", "b", "c"), ids);
    }
  }

  @Test
  void closeStopsEveryWorkerAndLaterTakesFail() throws Exception {
    PatchLoader loader = new PatchLoader(source(5), 0, 3, 6);
    loader.take();
    loader.close();
    assertEquals(Set.of(), liveLoaderThreads());
    assertThrows(IllegalStateException.class, loader::take);
  }

  private static Set<String> liveLoaderThreads() {
    Set<String> names = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith("patch-loader-")) {
        names.add(thread.getName());
      }
    }
    return names;
  }

  private static TrainingSampleSource source(long seed) {
    return source(CASES, seed);
  }

  private static TrainingSampleSource source(List<TrainingCase> cases, long seed) {
    PatchSampler sampler = new PatchSampler(new PatchSize(16, 12, 20), 0.7);
    return new TrainingSampleSource(cases, sampler, new PatchAugmenter(AugmentationConfig.defaults()), seed, SAMPLES_PER_EPOCH);
  }

  private static List<TrainingSample> take(PatchLoader loader, int count) throws InterruptedException {
    try (loader) {
      List<TrainingSample> samples = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        samples.add(loader.take());
      }
      return samples;
    }
  }

  private static void assertSameSample(TrainingSample expected, TrainingSample actual) {
    assertEquals(expected.caseId(), actual.caseId());
    assertArrayEquals(expected.image(), actual.image());
    assertArrayEquals(expected.label(), actual.label());
  }
}
