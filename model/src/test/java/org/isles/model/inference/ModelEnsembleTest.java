package org.isles.model.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.preprocess.PreprocessingSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ensembles and mirroring on real (untrained, seeded) U-Nets loaded from a run directory. */
class ModelEnsembleTest {
  /** C, D, H, W; W = 16 is two patches, so the window grid (0, 4, 8) is mirror-symmetric. */
  private static final int[] SHAPE = {2, 10, 12, 16};
  private static final RunRecipe RECIPE = new RunRecipe(4, 2, new int[] {8, 8, 8}, PreprocessingSettings.spacing(2, 2, 2));

  @TempDir static Path dir;
  private static TrainedRun run;
  private static ModelEnsemble all;

  @BeforeAll
  static void untrainedRun() {
    // one torch thread: on a shared 2-core machine OpenMP's spinning threads slow tiny passes 20-fold
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(1);
    run = UntrainedRuns.create(dir.resolve("run"), RECIPE, 3, 1);
    all = ModelEnsemble.load(run, run.modelIds());
  }

  @AfterAll
  static void close() {
    all.close();
  }

  @Test
  void ensembleProbabilityIsTheMeanOfItsModels() {
    float[] image = noise(1);
    SlidingWindowInference window = InferenceOptions.defaults().slidingWindow(RECIPE);
    float[] expected = new float[image.length / SHAPE[0]];
    for (String id : run.modelIds()) {
      try (ModelEnsemble single = ModelEnsemble.load(run, List.of(id))) {
        float[] p = single.predictProbabilities(window, image, SHAPE);
        for (int n = 0; n < expected.length; n++) {
          expected[n] += p[n] / 3;
        }
      }
    }
    float[] mean = all.predictProbabilities(window, image, SHAPE);
    assertArrayEquals(expected, mean, 1e-6f);
    try (ModelEnsemble first = ModelEnsemble.load(run, List.of("fold_0/seed_0"))) {
      assertTrue(maxDifference(mean, first.predictProbabilities(window, image, SHAPE)) > 1e-3,
          "differently seeded models must disagree, or the mean proves nothing");
    }
  }

  /**
   * With an input that is its own left-right mirror, the mirrored pass sees the same input, so
   * flip TTA must return the plain prediction averaged with its own mirror image; a mirrored
   * prediction left un-flipped would instead return the plain prediction unchanged.
   */
  @Test
  void flipAugmentationOfAMirrorSymmetricInputIsThePlainPredictionSymmetrised() {
    float[] image = mirrorSymmetric(noise(2));
    InferenceOptions options = InferenceOptions.defaults().withWeighting(ImportanceWeighting.GAUSSIAN);
    float[] plain = all.predictProbabilities(options.slidingWindow(RECIPE), image, SHAPE);
    float[] flipped = all.predictProbabilities(options.withAugmentation(TestTimeAugmentation.FLIP).slidingWindow(RECIPE),
        image, SHAPE);
    float[] plainMirrored = mirror(plain);
    float[] expected = new float[plain.length];
    for (int n = 0; n < plain.length; n++) {
      expected[n] = (plain[n] + plainMirrored[n]) / 2;
    }
    assertArrayEquals(expected, flipped, 1e-6f);
    assertArrayEquals(flipped, mirror(flipped), 1e-6f);
    assertTrue(maxDifference(plain, plainMirrored) > 1e-3, "an untrained network is not mirror-symmetric by itself");
  }

  @Test
  void unknownModelsAreRefusedWithTheRunsModels() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ModelEnsemble.load(run, List.of("fold_7/seed_0")));
    assertTrue(error.getMessage().contains("fold_0/seed_0"), error.getMessage());
    assertEquals(List.of("fold_0/seed_0", "fold_1/seed_0", "fold_2/seed_0"), all.modelIds());
  }

  private static float[] noise(long seed) {
    Random random = new Random(seed);
    float[] image = new float[SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]];
    for (int n = 0; n < image.length; n++) {
      image[n] = (float) random.nextGaussian();
    }
    return image;
  }

  /** The left half of every row copied mirrored onto the right half. */
  private static float[] mirrorSymmetric(float[] image) {
    float[] result = image.clone();
    int width = SHAPE[3];
    for (int row = 0; row < image.length / width; row++) {
      for (int x = 0; x < width / 2; x++) {
        result[row * width + width - 1 - x] = result[row * width + x];
      }
    }
    return result;
  }

  /** Every row of length W reversed. */
  private static float[] mirror(float[] values) {
    int width = SHAPE[3];
    float[] result = new float[values.length];
    for (int row = 0; row < values.length / width; row++) {
      for (int x = 0; x < width; x++) {
        result[row * width + x] = values[row * width + width - 1 - x];
      }
    }
    return result;
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int n = 0; n < a.length; n++) {
      max = Math.max(max, Math.abs(a[n] - b[n]));
    }
    return max;
  }
}
