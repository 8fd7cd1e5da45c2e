package org.isles.model.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.isles.augment.AugmentationConfig;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelFolder;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.training.BlobCases;
import org.isles.model.training.LossConfig;
import org.isles.model.training.SegmentationTrainer;
import org.isles.model.training.TrainingConfig;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.sampling.TrainingCase;
import org.isles.volume.Grid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bf16 path: the shipped cast module rounds like bfloat16, and a U-Net trained in this test
 * predicts a whole case in bf16 within issue 15's accuracy bound of its float32 prediction
 * (every voxel within 0.02, the 0.5 mask the same on at least 99.9 % of voxels). Kept small: on
 * a CPU without native bf16 (this project's AVX2 machine) torch emulates bf16 convolutions slowly.
 */
class Bfloat16NetworkTest {
  private static final int BASE = 4;
  private static final int DEPTH = 2;
  private static final int PATCH = 16;
  private static final int CASE_SIZE = 24;
  private static final TrainingConfig TINY = new TrainingConfig("bf16-test", new double[] {2, 2, 2},
      new int[] {PATCH, PATCH, PATCH}, BASE, DEPTH, 4, 15, 2, 1e-2, 1e-5, 0.5, AugmentationConfig.none(), LossConfig.recipe(), 4, 5,
      new int[] {PATCH, PATCH, PATCH}, 0.5, 0, 1, 1, Precision.FP32, 0);

  @TempDir static Path dir;
  private static TrainedRun run;

  @BeforeAll
  static void trainTinyUNet() {
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(1);
    Path runDir = dir.resolve("run");
    new RunRecipe(BASE, DEPTH, TINY.patchSize(), PreprocessingSettings.spacing(2, 2, 2)).write(runDir);
    new SegmentationTrainer(TINY, 0, ModelFolder.modelDir(runDir, 0, 0), "bf16-test", line -> {})
        .train(BlobCases.cases(6, CASE_SIZE, 1), BlobCases.cases(1, CASE_SIZE, 2), new SegmentationTrainer.Start.Fresh());
    run = TrainedRun.open(runDir);
  }

  @Test
  void castModuleFromTheClassPathRoundsToNearestBfloat16() {
    Random random = new Random(3);
    float[] values = new float[4096];
    for (int n = 0; n < values.length; n++) {
      values[n] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
    }
    Model cast = Bfloat16Network.loadCast();
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      NDArray bf16 = cast.getBlock().forward(new ai.djl.training.ParameterStore(), new ai.djl.ndarray.NDList(
          manager.create(values, new Shape(values.length))), false).singletonOrThrow();
      assertEquals(DataType.UNKNOWN, bf16.getDataType(), "DJL shows bf16 as UNKNOWN; float32 here means no cast happened");
      float[] back = bf16.toType(DataType.FLOAT32, false).toFloatArray();
      for (int n = 0; n < values.length; n++) {
        assertEquals(roundToBfloat16(values[n]), back[n], 0f, "value " + values[n]);
      }
    } finally {
      cast.close();
    }
  }

  @Test
  void bf16ProbabilitiesOfATrainedUNetAreWithin002OfFloat32WithTheSameMask() {
    TrainingCase testCase = BlobCases.cases(1, CASE_SIZE, 9).get(0);
    Grid grid = testCase.channels().get(0).grid();
    int voxels = grid.size();
    float[] image = new float[2 * voxels];
    System.arraycopy(testCase.channels().get(0).data(), 0, image, 0, voxels);
    System.arraycopy(testCase.channels().get(1).data(), 0, image, voxels, voxels);
    int[] shape = {2, grid.nz(), grid.ny(), grid.nx()};
    InferenceOptions options = InferenceOptions.defaults().withAugmentation(TestTimeAugmentation.FLIP)
        .withWeighting(ImportanceWeighting.GAUSSIAN);
    float[] fp32;
    float[] bf16;
    try (ModelEnsemble single = ModelEnsemble.load(run, run.modelIds(), Precision.FP32)) {
      fp32 = single.predictProbabilities(options, grid, image, shape);
    }
    try (ModelEnsemble single = ModelEnsemble.load(run, run.modelIds(), Precision.BF16)) {
      bf16 = single.predictProbabilities(options, grid, image, shape);
    }
    float[] mask = testCase.label().data();
    double maxDifference = 0;
    int sameMask = 0;
    int overlap = 0;
    int predicted = 0;
    int lesion = 0;
    for (int n = 0; n < voxels; n++) {
      maxDifference = Math.max(maxDifference, Math.abs(bf16[n] - fp32[n]));
      sameMask += (bf16[n] >= 0.5) == (fp32[n] >= 0.5) ? 1 : 0;
      overlap += fp32[n] >= 0.5 && mask[n] > 0 ? 1 : 0;
      predicted += fp32[n] >= 0.5 ? 1 : 0;
      lesion += mask[n] > 0 ? 1 : 0;
    }
    double dice = 2.0 * overlap / (predicted + lesion);
    assertTrue(dice > 0.5, "the float32 model must have learned the lesions, or the comparison proves little: Dice " + dice);
    assertTrue(maxDifference > 1e-4, "bf16 must differ from float32 somewhere, or it did not run: " + maxDifference);
    assertTrue(maxDifference <= 0.02, "largest bf16 - fp32 probability difference " + maxDifference);
    assertTrue(sameMask >= 0.999 * voxels, "same 0.5 mask on " + sameMask + " of " + voxels + " voxels");
    System.out.printf("bf16 vs fp32: max |dp| %.4f, same mask on %d of %d voxels, fp32 Dice %.3f%n", maxDifference,
        sameMask, voxels, dice);
  }

  @Test
  void anEnsembleLoadsOnlyResolvedPrecisions() {
    for (Precision unresolved : List.of(Precision.AUTO, Precision.INT8)) {
      IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> ModelEnsemble.load(run, run.modelIds(), unresolved));
      assertTrue(error.getMessage().contains(unresolved.id()), error.getMessage());
    }
  }

  /** IEEE float32 to bfloat16, round to nearest even (finite values), and back to float32. */
  private static float roundToBfloat16(float value) {
    int bits = Float.floatToIntBits(value);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(rounded & 0xFFFF0000);
  }
}
