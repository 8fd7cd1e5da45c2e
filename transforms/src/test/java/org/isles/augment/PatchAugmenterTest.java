package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSampler;
import org.isles.sampling.PatchSize;
import org.isles.sampling.PatchWindow;
import org.isles.sampling.SyntheticCases;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;
import org.junit.jupiter.api.Test;

class PatchAugmenterTest {
  private static final TrainingCase CUBE = SyntheticCases.markedCube("cube", 40, 14, 26, 9);
  private static final PatchSampler SAMPLER = new PatchSampler(PatchSize.cube(24), 1.0);

  @Test
  void labelStaysBinaryAndMovesWithTheImageMarker() {
    AugmentationConfig spatialOnly = new AugmentationConfig(
        0.5, 1, 15, 1, 0.9, 1.1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1);
    PatchAugmenter augmenter = new PatchAugmenter(spatialOnly);
    for (int seed = 0; seed < 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      TrainingSample sample = augmenter.augment(CUBE, SAMPLER.pick(CUBE, random), random);
      int overlap = 0;
      int labelled = 0;
      int marked = 0;
      for (int n = 0; n < sample.label().length; n++) {
        float label = sample.label()[n];
        assertTrue(label == 0f || label == 1f, "label value " + label);
        boolean marker = sample.image()[n] >= 0.5f;
        labelled += (int) label;
        marked += marker ? 1 : 0;
        overlap += marker && label == 1f ? 1 : 0;
      }
      assertTrue(labelled > 0, "foreground patch without lesion, seed " + seed);
      double dice = 2.0 * overlap / (labelled + marked);
      assertTrue(dice > 0.95, "label and image marker disagree (Dice " + dice + "), seed " + seed);
    }
  }

  @Test
  void noneReturnsThePlainCrop() {
    PatchAugmenter augmenter = new PatchAugmenter(AugmentationConfig.none());
    SplittableRandom random = new SplittableRandom(4);
    PatchWindow window = SAMPLER.pick(CUBE, random);
    TrainingSample sample = augmenter.augment(CUBE, window, random);
    TrainingSample crop = CUBE.crop(window);
    assertArrayEquals(crop.image(), sample.image());
    assertArrayEquals(crop.label(), sample.label());
  }

  @Test
  void sameSeedGivesTheSameSampleAndAnotherSeedAnother() {
    PatchAugmenter augmenter = new PatchAugmenter(everythingAlways());
    TrainingSample first = augmentWithSeed(augmenter, 42);
    TrainingSample again = augmentWithSeed(augmenter, 42);
    TrainingSample other = augmentWithSeed(augmenter, 43);
    assertArrayEquals(first.image(), again.image());
    assertArrayEquals(first.label(), again.label());
    assertFalse(Arrays.equals(first.image(), other.image()));
  }

  @Test
  void fixedMultiplierAndGammaGiveHandComputedIntensities() {
    AugmentationConfig multiplyThenGamma = new AugmentationConfig(
        0, 0, 15, 0, 1, 1, 1, 2, 2, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1);
    TrainingCase noise = SyntheticCases.noise("noise", 6, 5, 4, 2, 8);
    PatchWindow window = new PatchWindow(0, 0, 0, new PatchSize(6, 5, 4), PatchWindow.RANDOM);
    TrainingSample sample = new PatchAugmenter(multiplyThenGamma).augment(noise, window, new SplittableRandom(1));
    TrainingSample crop = noise.crop(window);
    for (int c = 0; c < 2; c++) {
      int from = crop.channelStart(c);
      int to = from + crop.size().voxels();
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (int n = from; n < to; n++) {
        min = Math.min(min, 2 * crop.image()[n]);
        max = Math.max(max, 2 * crop.image()[n]);
      }
      for (int n = from; n < to; n++) {
        double unit = (2 * crop.image()[n] - min) / (max - min);
        assertEquals(min + (max - min) * unit * unit, sample.image()[n], 1e-5);
      }
    }
  }

  private static TrainingSample augmentWithSeed(PatchAugmenter augmenter, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return augmenter.augment(CUBE, SAMPLER.pick(CUBE, random), random);
  }

  private static AugmentationConfig everythingAlways() {
    AugmentationConfig d = AugmentationConfig.defaults();
    return new AugmentationConfig(
        1, 1, d.maxRotationDegrees(), 1, d.minScale(), d.maxScale(), 1, d.minMultiplier(), d.maxMultiplier(),
        1, d.maxShift(), 1, d.minGamma(), d.maxGamma(), 1, d.maxNoiseSigma(), 1, d.minBlurSigma(), d.maxBlurSigma());
  }
}
