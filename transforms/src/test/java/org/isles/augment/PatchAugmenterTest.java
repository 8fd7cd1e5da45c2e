package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
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
  private static final TrainingCase NOISE = SyntheticCases.noise("noise", 24, 24, 24, 2, 8);
  private static final PatchWindow WHOLE = new PatchWindow(0, 0, 0, PatchSize.cube(24), PatchWindow.RANDOM);
  private static final List<String> PROBABILITIES = List.of("flip", "rotation", "scale", "multiply", "shift", "gamma", "noise",
      "blur", "contrast", "bias_field", "low_resolution");

  @Test
  void labelStaysBinaryAndMovesWithTheImageMarker() {
    AugmentationConfig spatialOnly = new AugmentationConfig(
        0.5, 1, 15, 1, 0.9, 1.1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1);
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
        0, 0, 15, 0, 1, 1, 1, 2, 2, 0, 0, 1, 2, 2, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1);
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

  /** The added noise's standard deviation is uniform in [0, max]: each sample's at most max, E[sigma^2] = max^2 / 3. */
  @Test
  void noiseStandardDeviationMatchesTheConfiguredRange() throws Exception {
    PatchAugmenter augmenter = new PatchAugmenter(only("\"noise_probability\": 1, \"max_noise_sigma\": 0.3"));
    TrainingSample crop = NOISE.crop(WHOLE);
    int samples = 200;
    double sumOfVariances = 0;
    for (int seed = 0; seed < samples; seed++) {
      TrainingSample sample = augmenter.augment(NOISE, WHOLE, new SplittableRandom(seed));
      for (int c = 0; c < 2; c++) {
        int from = crop.channelStart(c);
        int n = crop.size().voxels();
        double sum = 0;
        double sumOfSquares = 0;
        for (int v = from; v < from + n; v++) {
          double added = sample.image()[v] - crop.image()[v];
          sum += added;
          sumOfSquares += added * added;
        }
        double variance = sumOfSquares / n - (sum / n) * (sum / n);
        assertTrue(Math.sqrt(variance) <= 0.3 * 1.03, "noise std " + Math.sqrt(variance));
        sumOfVariances += variance;
      }
    }
    // the variance of sigma^2 for sigma ~ U[0, 0.3] is 0.09^2 (1/5 - 1/9): 3 standard errors over 400 draws is 0.004
    assertEquals(0.09 / 3, sumOfVariances / (2 * samples), 0.004);
  }

  @Test
  void gammaKeepsEachChannelsRangeAndOrder() throws Exception {
    PatchAugmenter augmenter = new PatchAugmenter(only("\"gamma_probability\": 1, \"min_gamma\": 0.7, \"max_gamma\": 1.5"));
    TrainingSample crop = NOISE.crop(WHOLE);
    for (int seed = 0; seed < 5; seed++) {
      TrainingSample sample = augmenter.augment(NOISE, WHOLE, new SplittableRandom(seed));
      for (int c = 0; c < 2; c++) {
        float[] before = channel(crop, c);
        float[] after = channel(sample, c);
        assertEquals(min(before), min(after), 1e-5);
        assertEquals(max(before), max(after), 1e-5);
        for (int v = 1; v < before.length; v++) {
          assertEquals(Float.compare(before[v], before[v - 1]) > 0, after[v] > after[v - 1] || before[v] == before[v - 1]
              && after[v] == after[v - 1], "order of voxels " + (v - 1) + " and " + v);
        }
      }
    }
  }

  @Test
  void contrastScalesDeviationsFromTheMeanAndClipsToTheRange() throws Exception {
    PatchAugmenter augmenter = new PatchAugmenter(only("\"contrast_probability\": 1, \"min_contrast\": 2, \"max_contrast\": 2"));
    TrainingSample crop = NOISE.crop(WHOLE);
    TrainingSample sample = augmenter.augment(NOISE, WHOLE, new SplittableRandom(1));
    int n = crop.size().voxels();
    float[] before = channel(crop, 0);
    double mean = 0;
    for (float v : before) {
      mean += v / (double) n;
    }
    for (int v = 0; v < n; v++) {
      double expected = Math.min(max(before), Math.max(min(before), mean + 2 * (before[v] - mean)));
      assertEquals(expected, sample.image()[v], 1e-5);
    }
  }

  /** Bias field through the augmenter: the channel's minimum stays, the rest is scaled by a factor in the stated range. */
  @Test
  void biasFieldScalesTheSignalAboveTheMinimumWithinTheRange() throws Exception {
    PatchAugmenter augmenter = new PatchAugmenter(only("\"bias_field_probability\": 1, \"max_bias_amplitude\": 0.25"));
    TrainingSample crop = NOISE.crop(WHOLE);
    TrainingSample sample = augmenter.augment(NOISE, WHOLE, new SplittableRandom(5));
    int n = crop.size().voxels();
    float[] before = channel(crop, 0);
    float floor = min(before);
    assertEquals(floor, min(channel(sample, 0)), 1e-6);
    for (int v = 0; v < n; v++) {
      if (before[v] - floor > 0.5) {
        double factor = (sample.image()[v] - floor) / (before[v] - floor);
        assertTrue(factor >= 0.75 - 1e-5 && factor <= 1.25 + 1e-5, "factor " + factor);
      }
    }
  }

  /** A copy of one channel's voxels. */
  private static float[] channel(TrainingSample sample, int c) {
    int from = sample.channelStart(c);
    return Arrays.copyOfRange(sample.image(), from, from + sample.size().voxels());
  }

  private static float min(float[] values) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static float max(float[] values) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** Only the named settings' augmentations: every other probability 0. */
  private static AugmentationConfig only(String settings) throws Exception {
    ObjectNode node = (ObjectNode) new ObjectMapper().readTree("{" + settings + "}");
    for (String name : PROBABILITIES) {
      if (!node.has(name + "_probability")) {
        node.put(name + "_probability", 0.0);
      }
    }
    return AugmentationConfig.fromConfig(node);
  }

  private static TrainingSample augmentWithSeed(PatchAugmenter augmenter, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return augmenter.augment(CUBE, SAMPLER.pick(CUBE, random), random);
  }

  private static AugmentationConfig everythingAlways() {
    AugmentationConfig d = AugmentationConfig.defaults();
    return new AugmentationConfig(
        1, 1, d.maxRotationDegrees(), 1, d.minScale(), d.maxScale(), 1, d.minMultiplier(), d.maxMultiplier(),
        1, d.maxShift(), 1, d.minGamma(), d.maxGamma(), 1, d.maxNoiseSigma(), 1, d.minBlurSigma(), d.maxBlurSigma(),
        1, d.minContrast(), d.maxContrast(), 1, d.maxBiasAmplitude(), 1, d.maxLowResolutionFactor());
  }
}
