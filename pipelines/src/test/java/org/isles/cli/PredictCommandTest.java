package org.isles.cli;

import static org.isles.cli.CliRun.isles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.io.Json;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.CpuFeatures;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.UntrainedRuns;
import org.isles.nifti.Nifti;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.predict.PredictionFiles;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.split.CrossValidationSplit;
import org.isles.synth.SyntheticDataset;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles predict} through {@link IslesCli#execute} on synthetic cases and an untrained two-model run. */
class PredictCommandTest {
  private static final RunRecipe RECIPE = new RunRecipe(4, 2, new int[] {16, 16, 16}, PreprocessingSettings.spacing(3, 3, 3));

  @TempDir static Path dir;
  private static Path data;
  private static Path run;

  @BeforeAll
  static void dataAndRun() throws Exception {
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(1);
    data = dir.resolve("isles");
    SyntheticDataset synthetic = new SyntheticDataset(4, 0.25);
    for (int n = 1; n <= 3; n++) {
      synthetic.writeCase(data, n);
    }
    run = dir.resolve("run");
    UntrainedRuns.create(run, RECIPE, 2, 1);
    Json.write(RunLayout.runSplits(run), Map.of("test", List.of(BidsLayout.caseId(2))));
  }

  @Test
  void theRunsTestCasesWithChosenModelsAugmentationAndThreshold() {
    Path out = dir.resolve("test-cases");
    CliRun result = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--models", "fold_1/seed_0", "--tta", "flip", "--gaussian", "--threshold", "0.3", "--threads", "1");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("predicted 1, skipped 0 already predicted, 0 failed, of 1 cases"), result.out());
    assertTrue(PredictionFiles.exist(out, BidsLayout.caseId(2)));
    assertFalse(Files.exists(RunLayout.probabilities(out, BidsLayout.caseId(1))));
    Map<?, ?> recorded = Json.read(out.resolve("prediction.json"), Map.class);
    assertEquals(List.of("fold_1/seed_0"), recorded.get("models"));
    assertEquals("flip", recorded.get("tta"));
    assertEquals("gaussian", recorded.get("weighting"));
    assertEquals(0.3, recorded.get("threshold"));
    Map<?, ?> precision = (Map<?, ?>) recorded.get("precision");
    String expected = CpuFeatures.ofThisMachine().hasNativeBf16() ? "bf16" : "fp32";
    assertEquals("auto", precision.get("requested"));
    assertEquals(expected, precision.get("resolved"), "auto on this CPU: " + precision);
    assertTrue(result.out().contains("precision " + expected + " (requested auto; auto: the CPU has"), result.out());
    Volume p = Nifti.readVolume(RunLayout.probabilities(out, BidsLayout.caseId(2)));
    Volume mask = Nifti.readVolume(RunLayout.mask(out, BidsLayout.caseId(2)));
    for (int n = 0; n < p.data().length; n++) {
      assertEquals(p.data()[n] >= 0.3f ? 1f : 0f, mask.data()[n]);
    }
  }

  @Test
  void aCaseListFilePredictsCasesWithoutAMask() throws Exception {
    Path noMask = dir.resolve("no-mask");
    for (int n = 1; n <= 3; n++) {
      for (Modality modality : List.of(Modality.DWI, Modality.ADC)) {
        Path source = BidsLayout.path(data, BidsLayout.caseId(n), modality);
        Path target = noMask.resolve(data.relativize(source));
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
      }
    }
    Path list = dir.resolve("cases.txt");
    Files.writeString(list, "# two of three\n" + BidsLayout.caseId(3) + "\n\n" + BidsLayout.caseId(1) + "  # first\n");
    Path out = dir.resolve("listed");

    CliRun result = isles("predict", "--run", run.toString(), "--input", noMask.toString(), "--out", out.toString(),
        "--cases", list.toString(), "--threads", "1");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(PredictionFiles.exist(out, BidsLayout.caseId(1)));
    assertTrue(PredictionFiles.exist(out, BidsLayout.caseId(3)));
    assertFalse(Files.exists(RunLayout.probabilities(out, BidsLayout.caseId(2))));
    assertEquals(List.of("fold_0/seed_0", "fold_1/seed_0"), Json.read(out.resolve("prediction.json"), Map.class).get("models"));
  }

  @Test
  void validationCasesArePredictedOutOfFoldByTheirFoldsModels() throws Exception {
    Path oofRun = dir.resolve("oof-run");
    UntrainedRuns.create(oofRun, RECIPE, 2, 1);
    String one = BidsLayout.caseId(1);
    String three = BidsLayout.caseId(3);
    new CrossValidationSplit(0, 0.34, "by hand", List.of(BidsLayout.caseId(2)), List.of(
        new CrossValidationSplit.Fold(0, List.of(three), List.of(one)),
        new CrossValidationSplit.Fold(1, List.of(one), List.of(three)))).write(RunLayout.runSplits(oofRun));
    Path out = dir.resolve("oof");

    CliRun result = isles("predict", "--run", oofRun.toString(), "--input", data.toString(), "--out", out.toString(),
        "--cases", "validation", "--threads", "1");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("predicting 2 validation cases out of fold (folds [0, 1]"), result.out());
    assertFalse(Files.exists(RunLayout.probabilities(out, BidsLayout.caseId(2))), "the test case is not predicted");
    Map<?, ?> recorded = Json.read(out.resolve("prediction.json"), Map.class);
    List<?> folds = (List<?>) recorded.get("folds");
    assertEquals(List.of("fold_0/seed_0"), ((Map<?, ?>) folds.get(0)).get("models"));
    assertEquals(List.of(one), ((Map<?, ?>) folds.get(0)).get("cases"));
    assertEquals(List.of("fold_1/seed_0"), ((Map<?, ?>) folds.get(1)).get("models"));
    // Each case exactly as its fold's model alone predicts it.
    for (String[] caseAndModel : new String[][] {{one, "fold_0/seed_0"}, {three, "fold_1/seed_0"}}) {
      Path list = Files.writeString(dir.resolve(caseAndModel[0] + ".txt"), caseAndModel[0] + "\n");
      Path alone = dir.resolve("alone-" + caseAndModel[0]);
      assertEquals(0, isles("predict", "--run", oofRun.toString(), "--input", data.toString(), "--out", alone.toString(),
          "--cases", list.toString(), "--models", caseAndModel[1], "--threads", "1").exitCode());
      assertArrayEquals(Nifti.readVolume(RunLayout.probabilities(alone, caseAndModel[0])).data(),
          Nifti.readVolume(RunLayout.probabilities(out, caseAndModel[0])).data(), caseAndModel[0]);
    }
    Path otherFold = dir.resolve("other-fold");
    assertEquals(0, isles("predict", "--run", oofRun.toString(), "--input", data.toString(), "--out", otherFold.toString(),
        "--cases", dir.resolve(one + ".txt").toString(), "--models", "fold_1/seed_0", "--threads", "1").exitCode());
    assertFalse(java.util.Arrays.equals(Nifti.readVolume(RunLayout.probabilities(otherFold, one)).data(),
        Nifti.readVolume(RunLayout.probabilities(out, one)).data()), "the other fold's model would predict otherwise");
  }

  /** bf16 through the command (on a CPU without native bf16 it is emulated, so the case is tiny). */
  @Test
  void bf16IsRecordedAndStaysWithin002OfFp32() throws Exception {
    Map<String, float[]> probabilities = new java.util.HashMap<>();
    for (String precision : List.of("fp32", "bf16")) {
      Path out = dir.resolve("precision-" + precision);
      CliRun result = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
          "--models", "fold_0/seed_0", "--precision", precision, "--threads", "1");
      assertEquals(0, result.exitCode(), result.err());
      Map<?, ?> recorded = (Map<?, ?>) Json.read(out.resolve("prediction.json"), Map.class).get("precision");
      assertEquals(precision, recorded.get("requested"));
      assertEquals(precision, recorded.get("resolved"));
      probabilities.put(precision, Nifti.readVolume(RunLayout.probabilities(out, BidsLayout.caseId(2))).data());
    }
    float[] fp32 = probabilities.get("fp32");
    float[] bf16 = probabilities.get("bf16");
    double max = 0;
    for (int n = 0; n < fp32.length; n++) {
      max = Math.max(max, Math.abs(fp32[n] - bf16[n]));
    }
    assertTrue(max > 0 && max <= 0.02, "largest bf16 - fp32 difference " + max);
  }

  @Test
  void badChoicesAreOneLineErrors() throws Exception {
    Path out = dir.resolve("errors");
    CliRun unknownModel = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--models", "fold_3/seed_0");
    assertEquals(2, unknownModel.exitCode());
    assertTrue(unknownModel.err().contains("has no model 'fold_3/seed_0'; it has [fold_0/seed_0, fold_1/seed_0]"),
        unknownModel.err());
    CliRun badTta = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--tta", "sideways");
    assertEquals(2, badTta.exitCode());
    assertTrue(badTta.err().contains("--tta must be none, flip or full"), badTta.err());
    Path list = Files.writeString(dir.resolve("unknown.txt"), BidsLayout.caseId(42) + "\n");
    CliRun unknownCase = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--cases", list.toString());
    assertEquals(2, unknownCase.exitCode());
    assertTrue(unknownCase.err().contains("1 selected cases are not under " + data + ": [sub-strokecase0042]"),
        unknownCase.err());
    CliRun int8 = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--precision", "int8");
    assertEquals(2, int8.exitCode());
    assertTrue(int8.err().startsWith("isles predict: error: precision int8 is not built"), int8.err());
    CliRun fp16 = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--precision", "fp16");
    assertEquals(2, fp16.exitCode());
    assertTrue(fp16.err().contains("precision must be fp32, bf16, int8 or auto, got 'fp16'"), fp16.err());
    for (CliRun refused : List.of(int8, fp16)) {
      assertEquals(1, refused.err().strip().lines().count(), refused.err());
    }
  }

}
