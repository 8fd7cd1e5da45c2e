package org.isles.augment;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSampler;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;

/**
 * The training samples of a run as a pure function of (seed, epoch, sample): which case, where
 * the patch lies and how it is augmented all come from a generator seeded by that triple. Any
 * thread may compute any step, and a resumed run sees the same samples as an uninterrupted one.
 *
 * <p>Cases are visited in a fresh seeded permutation for every {@code cases.size()} samples, so
 * an epoch of {@code cases.size()} samples sees every case exactly once.
 */
public final class TrainingSampleSource {
  private final List<TrainingCase> cases;
  private final PatchSampler sampler;
  private final PatchAugmenter augmenter;
  private final long seed;
  private final int samplesPerEpoch;

  /**
   * @param cases read, not copied, so that a {@link org.isles.sampling.CachedCases} loads each case
   *     only when a sample needs it; must not change while the source is in use
   */
  public TrainingSampleSource(
      List<TrainingCase> cases, PatchSampler sampler, PatchAugmenter augmenter, long seed, int samplesPerEpoch) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no training cases to sample from");
    }
    if (samplesPerEpoch <= 0) {
      throw new IllegalArgumentException("samples per epoch must be positive, got " + samplesPerEpoch);
    }
    this.cases = Collections.unmodifiableList(cases);
    this.sampler = sampler;
    this.augmenter = augmenter;
    this.seed = seed;
    this.samplesPerEpoch = samplesPerEpoch;
  }

  public int samplesPerEpoch() {
    return samplesPerEpoch;
  }

  public TrainingSample sample(int epoch, int index) {
    SplittableRandom random = new SplittableRandom(mix(seed, epoch, index));
    TrainingCase trainingCase = caseAt(epoch, index);
    return augmenter.augment(trainingCase, sampler.pick(trainingCase, random), random);
  }

  /** The case of one sample: position {@code index % n} of the permutation for its round. */
  TrainingCase caseAt(int epoch, int index) {
    int round = index / cases.size();
    SplittableRandom random = new SplittableRandom(mix(seed, epoch, -1 - round));
    int[] order = new int[cases.size()];
    for (int n = 0; n < order.length; n++) {
      int swap = random.nextInt(n + 1);
      order[n] = order[swap];
      order[swap] = n;
    }
    return cases.get(order[index % cases.size()]);
  }

  private static long mix(long seed, int epoch, int step) {
    return scramble(scramble(scramble(seed) + epoch) + step);
  }

  /** The SplitMix64 finaliser: nearby inputs give unrelated outputs. */
  private static long scramble(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
