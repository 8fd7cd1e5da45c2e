package org.isles.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.isles.augment.AugmentationConfig;
import org.isles.augment.PatchAugmenter;
import org.isles.sampling.PatchSampler;
import org.isles.sampling.PatchSize;
import org.isles.sampling.SyntheticCases;
import org.isles.sampling.TrainingCase;

/**
 * CPU milliseconds per augmented 32^3 two-channel patch (the demo's training sample) from a 40^3
 * case, on one thread: no augmentation (the plain crop, the anchor), the recipe's defaults, and
 * the settings given as a JSON mapping (the {@code augmentation:} block of a config), to set
 * against the training step the loader thread has to keep up with.
 *
 * <p>Run (the classpath adds jackson-core, -databind and -annotations 2.15.4 from ~/.m2): {@code
 * mvn -o -q -B -pl transforms -am test-compile && java -cp
 * transforms/target/classes:transforms/target/test-classes:JACKSON_JARS org.isles.bench.AugmentationBenchmark
 * '{"noise_probability": 0.3, ...}'}
 */
public final class AugmentationBenchmark {
  private static final int SAMPLES = 400;

  public static void main(String[] args) throws Exception {
    AugmentationConfig given = args.length > 0
        ? AugmentationConfig.fromConfig(new ObjectMapper().readTree(args[0]))
        : AugmentationConfig.defaults();
    TrainingCase source = SyntheticCases.markedCube("bench", 40, 14, 26, 1);
    PatchSampler sampler = new PatchSampler(PatchSize.cube(32), 0.5);
    double none = msPerSample(new PatchAugmenter(AugmentationConfig.none()), source, sampler);
    double defaults = msPerSample(new PatchAugmenter(AugmentationConfig.defaults()), source, sampler);
    double chosen = msPerSample(new PatchAugmenter(given), source, sampler);
    System.out.printf(Locale.ROOT, "CPU ms per 32^3 x 2 patch over %d samples: none %.2f, defaults %.2f (%.1fx), given %.2f (%.1fx)%n",
        SAMPLES, none, defaults, defaults / none, chosen, chosen / none);
  }

  private static double msPerSample(PatchAugmenter augmenter, TrainingCase source, PatchSampler sampler) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < SAMPLES / 4; n++) {
      augmenter.augment(source, sampler.pick(source, random), random);
    }
    long start = threads.getCurrentThreadCpuTime();
    for (int n = 0; n < SAMPLES; n++) {
      augmenter.augment(source, sampler.pick(source, random), random);
    }
    return (threads.getCurrentThreadCpuTime() - start) / 1e6 / SAMPLES;
  }
}
