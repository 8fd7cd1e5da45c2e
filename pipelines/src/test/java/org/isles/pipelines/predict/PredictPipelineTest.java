package org.isles.pipelines.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.CaseDiscovery;
import org.isles.dataset.Modality;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.Precision;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.nifti.Nifti;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isles predict}'s pipeline end to end on synthetic raw cases (several axis layouts,
 * oblique included) with a run of two real, untrained U-Nets: one case has a corrupt DWI.
 */
class PredictPipelineTest {
  private static final int CASES = 5;
  private static final String CORRUPT = BidsLayout.caseId(5);
  private static final RunRecipe RECIPE = new RunRecipe(4, 2, new int[] {16, 16, 16}, PreprocessingSettings.spacing(2, 2, 2));

  @TempDir static Path dir;
  private static Path data;
  private static List<CaseRecord> cases;
  private static PredictionSettings settings;
  private static Path direct;
  private static PredictPipeline.Outcome directOutcome;

  @BeforeAll
  static void predictWithTheDirectRunner() throws IOException {
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(1);
    data = dir.resolve("isles");
    SyntheticDataset synthetic = new SyntheticDataset(15, 0.25);
    for (int n = 1; n <= CASES; n++) {
      synthetic.writeCase(data, n);
    }
    Path corruptDwi = BidsLayout.path(data, CORRUPT, Modality.DWI);
    byte[] bytes = Files.readAllBytes(corruptDwi);
    Files.write(corruptDwi, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    cases = CaseDiscovery.discover(data);
    TrainedRun run = UntrainedRuns.create(dir.resolve("run"), RECIPE, 2, 1);
    settings = PredictionSettings.of(run, null, InferenceOptions.defaults(), 0.5, 1, Precision.AUTO);
    direct = dir.resolve("direct");
    directOutcome = PredictPipeline.run(cases, settings, new OutputFolder(direct, data, false),
        new RunnerSettings(RunnerSettings.DIRECT, 2, "[local]"));
  }

  @Test
  void aCorruptCaseIsReportedWhileTheOthersAreWritten() {
    assertEquals(new PredictPipeline.Outcome(CASES, 0, directOutcome.failures()), directOutcome);
    assertEquals(1, directOutcome.failures().size());
    Map<?, ?> failure = (Map<?, ?>) directOutcome.failures().get(0);
    assertEquals(CORRUPT, failure.get("case_id"));
    assertTrue(String.valueOf(failure.get("file")).endsWith("_dwi.nii.gz"), failure.toString());
    for (CaseRecord record : cases) {
      boolean expected = !record.getCaseId().equals(CORRUPT);
      assertEquals(expected, PredictionFiles.exist(direct, record.getCaseId()), record.getCaseId());
    }
  }

  /**
   * nibabel reads each output back: the DWI's shape and affine, float32 probabilities, uint8 mask =
   * p >= 0.5. Seed 15 gives oblique LAS, RAS, sagittal ASL and LPS grids.
   */
  @Test
  void predictionsLieOnEachCasesDwiGrid() {
    StringBuilder args = new StringBuilder();
    int oblique = 0;
    int flipped = 0;
    for (CaseRecord record : written()) {
      Grid dwi = Nifti.readVolume(Path.of(record.getDwiPath())).grid();
      oblique += isOblique(dwi) ? 1 : 0;
      flipped += dwi.affine(0, 0) < 0 || dwi.affine(1, 1) < 0 ? 1 : 0;
      args.append(record.getDwiPath()).append(' ')
          .append(RunLayout.probabilities(direct, record.getCaseId())).append(' ')
          .append(RunLayout.mask(direct, record.getCaseId())).append(' ');
    }
    assertTrue(oblique > 0 && flipped > 0, "the cases must include oblique and flipped grids");
    String report = PythonOracle.run(String.join("\n",
        "import sys, nibabel as nib, numpy as np",
        "a = sys.argv[1:]",
        "for dwi_path, prob_path, mask_path in zip(a[0::3], a[1::3], a[2::3]):",
        "    dwi, prob, mask = nib.load(dwi_path), nib.load(prob_path), nib.load(mask_path)",
        "    p = np.asarray(prob.dataobj); m = np.asarray(mask.dataobj)",
        "    assert prob.shape == dwi.shape == mask.shape, (prob.shape, dwi.shape)",
        "    assert np.allclose(prob.affine, dwi.affine, rtol=0, atol=1e-5), (prob.affine, dwi.affine)",
        "    assert np.allclose(mask.affine, dwi.affine, rtol=0, atol=1e-5)",
        "    assert nib.aff2axcodes(prob.affine) == nib.aff2axcodes(dwi.affine)",
        "    assert p.dtype == np.float32 and m.dtype == np.uint8, (p.dtype, m.dtype)",
        "    assert p.min() >= 0 and p.max() <= 1 and p.max() > 0, (p.min(), p.max())",
        "    assert np.array_equal(m, (p >= 0.5).astype(np.uint8))",
        "    print('ok')"), args.toString().trim().split(" "));
    assertEquals(CASES - 1, report.lines().filter("ok"::equals).count(), report);
  }

  @Test
  void aRerunSkipsPredictedCasesAndRetriesTheFailedOne() throws IOException {
    Path out = dir.resolve("rerun");
    List<CaseRecord> firstTwo = written().subList(0, 2);
    PredictPipeline.run(firstTwo, settings, new OutputFolder(out, data, false), RunnerSettings.direct());
    FileTime written = Files.getLastModifiedTime(RunLayout.probabilities(out, firstTwo.get(0).getCaseId()));

    PredictPipeline.Outcome again = PredictPipeline.run(cases, settings, new OutputFolder(out, data, false), RunnerSettings.direct());

    assertEquals(2, again.skipped());
    assertEquals(CASES - 3, again.predicted());
    assertEquals(1, again.failures().size());
    assertEquals(written, Files.getLastModifiedTime(RunLayout.probabilities(out, firstTwo.get(0).getCaseId())));
  }

  @Test
  void flinkWritesByteIdenticalFiles() throws IOException {
    Path flink = dir.resolve("flink");
    PredictPipeline.Outcome outcome = PredictPipeline.run(cases, settings, new OutputFolder(flink, data, false), RunnerSettings.flinkEmbedded(2));
    assertEquals(directOutcome, outcome);
    for (CaseRecord record : written()) {
      String id = record.getCaseId();
      assertArrayEquals(Files.readAllBytes(RunLayout.probabilities(direct, id)),
          Files.readAllBytes(RunLayout.probabilities(flink, id)), id);
      assertArrayEquals(Files.readAllBytes(RunLayout.mask(direct, id)),
          Files.readAllBytes(RunLayout.mask(flink, id)), id);
    }
    assertFalse(Files.exists(RunLayout.probabilities(flink, CORRUPT)));
  }

  private static List<CaseRecord> written() {
    return cases.stream().filter(c -> !c.getCaseId().equals(CORRUPT)).toList();
  }

  private static boolean isOblique(Grid grid) {
    for (int c = 0; c < 3; c++) {
      int nonzero = 0;
      for (int r = 0; r < 3; r++) {
        nonzero += Math.abs(grid.affine(r, c)) > 1e-6 ? 1 : 0;
      }
      if (nonzero > 1) {
        return true;
      }
    }
    return false;
  }
}
