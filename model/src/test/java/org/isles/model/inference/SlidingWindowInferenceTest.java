package org.isles.model.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.isles.model.OfflinePyTorch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sliding-window inference with a network whose output is known in closed form: a 1x1x1
 * convolution, logit = 0.7 DWI - 1.3 ADC + 0.2 per voxel. It is mirror-equivariant and has no
 * spatial context, so stitching, weighting and test-time augmentation must all reproduce the
 * voxel-wise sigmoid exactly; a window put in the wrong place, an un-normalised weight sum or a
 * prediction left mirrored would not.
 */
class SlidingWindowInferenceTest {
  private static final float[] WEIGHTS = {0.7f, -1.3f};
  private static final float BIAS = 0.2f;
  // W (9) is smaller than the patch's 12, so padding is exercised too
  private static final int[] SHAPE = {2, 13, 20, 9};
  private static final int[] PATCH = {8, 8, 12};

  private static Model model;
  private static float[] image;

  @BeforeAll
  static void pointwiseModel() {
    model = OfflinePyTorch.newModel("pointwise");
    Conv3d conv = Conv3d.builder().setKernelShape(new Shape(1, 1, 1)).setFilters(1).build();
    conv.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2, 1, 1, 1));
    conv.getParameters().get("weight").getArray().set(WEIGHTS);
    conv.getParameters().get("bias").getArray().set(new float[] {BIAS});
    model.setBlock(conv);
    Random random = new Random(5);
    image = new float[SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (2 * random.nextGaussian());
    }
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void stitchedProbabilitiesEqualTheVoxelwiseFunctionForEveryWeightingAndAugmentation() {
    for (ImportanceWeighting weighting : ImportanceWeighting.values()) {
      for (TestTimeAugmentation augmentation : TestTimeAugmentation.values()) {
        SlidingWindowInference inference = SlidingWindowInference.builder()
            .setPatchSize(PATCH).optWeighting(weighting).optTestTimeAugmentation(augmentation)
            .optWindowBatchSize(3).build();
        assertArrayEquals(expectedProbabilities(1f), predict(inference), 1e-6f, weighting + " / " + augmentation);
      }
    }
  }

  @Test
  void temperatureDividesTheLogits() {
    SlidingWindowInference inference = SlidingWindowInference.builder()
        .setPatchSize(PATCH).optOverlap(0.25).optTemperature(2.5f).build();
    assertArrayEquals(expectedProbabilities(2.5f), predict(inference), 1e-6f);
  }

  @Test
  void predictorsOnSeveralThreadsAgree() {
    SlidingWindowInference inference = SlidingWindowInference.builder()
        .setPatchSize(PATCH).optWeighting(ImportanceWeighting.GAUSSIAN).optWindowBatchSize(2).build();
    CompletableFuture<float[]> other = CompletableFuture.supplyAsync(() -> predict(inference));
    float[] here = predict(inference);
    assertArrayEquals(here, other.join());
    assertArrayEquals(expectedProbabilities(1f), here, 1e-6f);
  }

  @Test
  void workerThreadsPredictWithoutRecordingGradients() {
    List<Boolean> gradModeDuringForward = new CopyOnWriteArrayList<>();
    try (Model recording = OfflinePyTorch.newModel("recording")) {
      SequentialBlock block = new SequentialBlock().add(model.getBlock()).add(logits -> {
        gradModeDuringForward.add(JniUtils.isGradMode());
        return logits;
      });
      block.initialize(recording.getNDManager(), DataType.FLOAT32, new Shape(1, 2, 1, 1, 1));
      gradModeDuringForward.clear();
      recording.setBlock(block);
      SlidingWindowInference inference = SlidingWindowInference.builder().setPatchSize(PATCH).build();
      float[] probabilities = CompletableFuture.supplyAsync(() -> {
        try (Predictor<NDList, NDList> predictor = recording.newPredictor(new NoopTranslator())) {
          boolean threadDefault = JniUtils.isGradMode();
          float[] result = inference.predictProbabilities(predictor, image, SHAPE);
          assertEquals(threadDefault, JniUtils.isGradMode(), "grad mode restored");
          return result;
        }
      }).join();
      assertArrayEquals(expectedProbabilities(1f), probabilities, 1e-6f);
      assertFalse(gradModeDuringForward.isEmpty());
      assertFalse(gradModeDuringForward.contains(true), "forward passes ran with grad mode on");
    }
  }

  @Test
  void gaussianWeightsPeakAtOneAndFallOffWithSigmaAnEighthOfThePatch() {
    int[] patch = {16, 10, 8};
    float[] weights = ImportanceWeighting.GAUSSIAN.weights(patch);
    // centre voxels (7 or 8, 4 or 5, 3 or 4) are half a voxel from the centre on every axis
    assertEquals(1f, weights[index(patch, 7, 4, 3)], 1e-6f);
    assertEquals(1f, weights[index(patch, 8, 5, 4)], 1e-6f);
    float max = 0;
    for (float w : weights) {
      max = Math.max(max, w);
    }
    assertEquals(1f, max, 1e-6f);
    // along D: sigma = 2, offsets 0.5 -> 4.5 give exp(-(4.5^2 - 0.5^2) / (2 * 2^2)) = exp(-2.5)
    assertEquals(Math.exp(-2.5), weights[index(patch, 3, 4, 3)], 1e-6);
    // along W: sigma = 1, offsets 0.5 -> 3.5 give exp(-(3.5^2 - 0.5^2) / 2) = exp(-6)
    assertEquals(Math.exp(-6), weights[index(patch, 7, 4, 0)], 1e-7);
    assertEquals(weights[index(patch, 0, 0, 0)], weights[index(patch, 15, 9, 7)], 1e-12f);
    assertArrayEquals(new float[] {1, 1, 1}, ImportanceWeighting.CONSTANT.weights(new int[] {3, 1, 1}));
  }

  @Test
  void windowStartsFollowNnUnetsGrid() {
    assertArrayEquals(new int[] {0, 4, 8, 12}, WindowGrid.starts(20, 8, 0.5));
    // step 13/4 = 3.25: 6.5 rounds half to even like numpy
    assertArrayEquals(new int[] {0, 3, 6, 10, 13}, WindowGrid.starts(21, 8, 0.5));
    assertArrayEquals(new int[] {0}, WindowGrid.starts(8, 8, 0.5));
    assertArrayEquals(new int[] {0, 1}, WindowGrid.starts(9, 8, 0.5));
    assertThrows(IllegalArgumentException.class, () -> WindowGrid.starts(7, 8, 0.5));
  }

  @Test
  void builderRejectsMissingPatchAndBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> SlidingWindowInference.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> SlidingWindowInference.builder().setPatchSize(8, 8, 8).optOverlap(1).build());
    assertThrows(IllegalArgumentException.class,
        () -> SlidingWindowInference.builder().setPatchSize(8, 8, 8).optTemperature(0).build());
  }

  private static float[] predict(SlidingWindowInference inference) {
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
      return inference.predictProbabilities(predictor, image, SHAPE);
    }
  }

  private static float[] expectedProbabilities(float temperature) {
    int voxels = SHAPE[1] * SHAPE[2] * SHAPE[3];
    float[] expected = new float[voxels];
    for (int i = 0; i < voxels; i++) {
      double logit = WEIGHTS[0] * image[i] + WEIGHTS[1] * image[voxels + i] + BIAS;
      expected[i] = (float) (1 / (1 + Math.exp(-logit / temperature)));
    }
    return expected;
  }

  private static int index(int[] patch, int z, int y, int x) {
    return (z * patch[1] + y) * patch[2] + x;
  }
}
