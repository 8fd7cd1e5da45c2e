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
import org.isles.volume.Grid;
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
    InferenceOptions window = InferenceOptions.defaults();
    Grid grid = Grid.axisAligned(16, 12, 10, 2, 2, 2);
    float[] expected = new float[image.length / SHAPE[0]];
    for (String id : run.modelIds()) {
      try (ModelEnsemble single = ModelEnsemble.load(run, List.of(id))) {
        float[] p = single.predictProbabilities(window, grid, image, SHAPE);
        for (int n = 0; n < expected.length; n++) {
          expected[n] += p[n] / 3;
        }
      }
    }
    float[] mean = all.predictProbabilities(window, grid, image, SHAPE);
    assertArrayEquals(expected, mean, 1e-6f);
    try (ModelEnsemble first = ModelEnsemble.load(run, List.of("fold_0/seed_0"))) {
      assertTrue(FloatArrays.maxDifference(mean, first.predictProbabilities(window, grid, image, SHAPE)) > 1e-3,
          "differently seeded models must disagree, or the mean proves nothing");
    }
  }

  /**
   * With an input that is its own left-right mirror, the mirrored pass sees the same input, so
   * flip TTA must return the plain prediction averaged with its own mirror image; a mirrored
   * prediction left un-flipped would instead return the plain prediction unchanged. Left-right is
   * the voxel axis closest to world x: W for an axial (LAS) grid, D for a sagittal one whose slice
   * axis runs left-right.
   */
  @Test
  void flipAugmentationOfALeftRightSymmetricInputIsThePlainPredictionSymmetrised() {
    Grid axial = new Grid(SHAPE[3], SHAPE[2], SHAPE[1], new double[] {-2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1});
    Grid sagittal = new Grid(SHAPE[3], SHAPE[2], SHAPE[1], new double[] {0, 0, -2, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1});
    for (Grid grid : List.of(axial, sagittal)) {
      int arrayAxis = grid == axial ? 3 : 1;
      float[] image = symmetric(noise(2), SHAPE, arrayAxis);
      InferenceOptions options = InferenceOptions.defaults().withWeighting(ImportanceWeighting.GAUSSIAN);
      float[] plain = all.predictProbabilities(options, grid, image, SHAPE);
      float[] flipped = all.predictProbabilities(options.withAugmentation(TestTimeAugmentation.FLIP), grid, image, SHAPE);
      int[] volume = {1, SHAPE[1], SHAPE[2], SHAPE[3]};
      float[] plainMirrored = mirrored(plain, volume, arrayAxis);
      float[] expected = new float[plain.length];
      for (int n = 0; n < plain.length; n++) {
        expected[n] = (plain[n] + plainMirrored[n]) / 2;
      }
      assertArrayEquals(expected, flipped, 1e-6f, grid.orientation());
      assertArrayEquals(flipped, mirrored(flipped, volume, arrayAxis), 1e-6f, grid.orientation());
      assertTrue(FloatArrays.maxDifference(plain, plainMirrored) > 1e-3, "an untrained network is not mirror-symmetric by itself");
    }
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

  /** {@code values} (dims {@code dims}, last fastest) mirrored along array axis {@code axis}. */
  private static float[] mirrored(float[] values, int[] dims, int axis) {
    float[] result = new float[values.length];
    int[] at = new int[4];
    for (int n = 0; n < values.length; n++) {
      int rest = n;
      for (int d = 3; d >= 0; d--) {
        at[d] = rest % dims[d];
        rest /= dims[d];
      }
      at[axis] = dims[axis] - 1 - at[axis];
      result[((at[0] * dims[1] + at[1]) * dims[2] + at[2]) * dims[3] + at[3]] = values[n];
    }
    return result;
  }

  /** The first half along {@code axis} copied mirrored onto the second half. */
  private static float[] symmetric(float[] values, int[] dims, int axis) {
    float[] mirror = mirrored(values, dims, axis);
    float[] result = values.clone();
    int[] at = new int[4];
    for (int n = 0; n < values.length; n++) {
      int rest = n;
      for (int d = 3; d >= 0; d--) {
        at[d] = rest % dims[d];
        rest /= dims[d];
      }
      if (at[axis] >= dims[axis] / 2) {
        result[n] = mirror[n];
      }
    }
    return result;
  }
}
