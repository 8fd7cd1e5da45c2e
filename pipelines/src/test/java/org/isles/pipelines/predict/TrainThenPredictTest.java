package org.isles.pipelines.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.cli.IslesCli;
import org.isles.dataset.CaseDiscovery;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.nifti.Nifti;
import org.isles.pipelines.RunLayout;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.split.CrossValidationSplit;
import org.isles.volume.Grid;
import org.isles.pipelines.TinyTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract between {@code isles train} and {@code isles predict}: a run trained for one epoch
 * records its recipe and split, and predict runs its test cases with exactly that preprocessing.
 */
class TrainThenPredictTest {
  @TempDir Path dir;

  @Test
  void predictRunsTheTrainedRunsTestCasesWithItsRecordedPreprocessing() throws Exception {
    Path input = dir.resolve("synth");
    Path processed = dir.resolve("processed");
    Path splits = dir.resolve("splits.json");
    Path config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG);
    Path run = dir.resolve("runs/tiny");
    Path out = dir.resolve("predictions");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "6", "--seed", "3", "--size", "0.3"));
    assertEquals(0, IslesCli.execute("preprocess", "--input", input.toString(), "--out", processed.toString(),
        "--spacing", "4,4,4"));
    assertEquals(0, IslesCli.execute("split", "--processed", processed.toString(), "--out", splits.toString(),
        "--folds", "2", "--test-fraction", "0.34", "--seed", "1"));
    assertEquals(0, IslesCli.execute("train", "--config", config.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", run.toString(), "--folds", "0", "--seeds", "0"));

    TrainedRun trained = TrainedRun.open(run);
    assertEquals(new RunRecipe(4, 2, new int[] {32, 16, 16}, PreprocessingSettings.spacing(4, 4, 4)), trained.recipe());
    assertEquals(List.of("fold_0/seed_0"), trained.modelIds());
    List<String> test = CrossValidationSplit.read(splits).test();
    assertEquals(test, trained.testCases());

    assertEquals(0, IslesCli.execute("predict", "--run", run.toString(), "--input", input.toString(), "--out", out.toString(),
        "--threads", "1"));

    for (CaseRecord record : CaseDiscovery.discover(input)) {
      boolean isTest = test.contains(record.getCaseId());
      assertEquals(isTest, PredictionFiles.exist(out, record.getCaseId()), record.getCaseId());
      if (isTest) {
        Grid dwi = Nifti.readVolume(Path.of(record.getDwiPath())).grid();
        Grid predicted = Nifti.readVolume(RunLayout.probabilities(out, record.getCaseId())).grid();
        assertArrayEquals(dwi.shape(), predicted.shape());
        assertArrayEquals(dwi.affine(), predicted.affine(), 1e-5);
      }
    }
  }
}
