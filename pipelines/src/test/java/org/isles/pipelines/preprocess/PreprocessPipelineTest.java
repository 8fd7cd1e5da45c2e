package org.isles.pipelines.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.isles.cli.IslesCli;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.schemas.ProcessedCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocess command end to end on synthetic data, on the Direct and the Flink runner. */
class PreprocessPipelineTest {
  private static final int CASES = 6;

  @TempDir static Path dir;
  static Path input;

  @BeforeAll
  static void synthesizeWithTwoBrokenCases() throws IOException {
    input = dir.resolve("synth");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "" + CASES, "--seed", "11"));
    // One case loses its ADC, another gets a corrupt DWI: both must be reported, the rest done.
    Files.delete(find(input, "sub-strokecase0002", "_adc.nii.gz"));
    Path dwi = find(input, "sub-strokecase0004", "_dwi.nii.gz");
    byte[] bytes = Files.readAllBytes(dwi);
    Files.write(dwi, java.util.Arrays.copyOf(bytes, bytes.length / 2));
  }

  @Test
  void preprocessesGoodCasesReportsBadOnesAndFlinkAgreesWithDirect() throws IOException {
    Path direct = dir.resolve("direct");
    Path flink = dir.resolve("flink");
    int directExit = IslesCli.execute("preprocess", "--input", input.toString(), "--out", direct.toString(), "--spacing", "2,2,2");
    int flinkExit =
        IslesCli.execute(
            "preprocess", "--input", input.toString(), "--out", flink.toString(), "--spacing", "2,2,2",
            "--runner", "FlinkRunner", "--parallelism", "2");
    assertEquals(1, directExit, "exit status says some cases failed");
    assertEquals(1, flinkExit);

    List<?> failures = Json.read(direct.resolve("failures.json"), List.class);
    assertEquals(2, failures.size());
    Map<?, ?> missingAdc = (Map<?, ?>) failures.get(0);
    Map<?, ?> corruptDwi = (Map<?, ?>) failures.get(1);
    assertEquals("sub-strokecase0002", missingAdc.get("case_id"));
    assertTrue(missingAdc.get("cause").toString().toLowerCase().contains("adc"), missingAdc.toString());
    assertEquals("sub-strokecase0004", corruptDwi.get("case_id"));
    assertTrue(corruptDwi.get("file").toString().endsWith("_dwi.nii.gz"), corruptDwi.toString());

    List<String> written = new ArrayList<>();
    try (Stream<Path> files = Files.walk(direct)) {
      files.filter(Files::isRegularFile).forEach(f -> written.add(direct.relativize(f).toString()));
    }
    assertEquals((CASES - 2) * 5 + 2, written.size(),
        "4 cases x (dwi, adc, mask, case.json, case.avro) + failures.json + output.json: " + written);
    for (String file : written) {
      assertArrayEquals(Files.readAllBytes(direct.resolve(file)), Files.readAllBytes(flink.resolve(file)), file + " differs between runners");
    }
  }

  @Test
  void outputsAreNormalizedOnTheTargetGridAndRecordTheWayBack() throws IOException {
    Path out = dir.resolve("check");
    IslesCli.execute("preprocess", "--input", input.toString(), "--out", out.toString(), "--spacing", "2,2,2");
    Path caseDir = out.resolve("sub-strokecase0001");
    ProcessedCase record = new ProcessedStore(out).record("sub-strokecase0001");
    Volume dwi = Nifti.readVolume(caseDir.resolve("dwi.nii.gz"));
    Volume mask = Nifti.readVolume(caseDir.resolve("mask.nii.gz"));
    Grid grid = dwi.grid();
    assertArrayEquals(new double[] {2, 2, 2}, grid.spacing(), 1e-5);
    assertTrue(grid.sameGrid(mask.grid(), 1e-5));
    assertEquals(List.of(grid.nx(), grid.ny(), grid.nz()), record.getShape());
    for (int n = 0; n < 16; n++) {
      assertEquals(record.getAffine().get(n), grid.affine()[n], 1e-4, "written affine = recorded affine");
    }
    // z-scored on the brain: over nonzero voxels mean ~0 and std ~1 (the clip makes std slightly < 1).
    double sum = 0;
    double squares = 0;
    int brain = 0;
    for (float v : dwi.data()) {
      if (v != 0f) {
        sum += v;
        squares += v * v;
        brain++;
      }
    }
    double mean = sum / brain;
    assertEquals(0, mean, 0.05);
    assertEquals(1, Math.sqrt(squares / brain - mean * mean), 0.1);
    Volume original = Nifti.readVolume(Path.of(findString(input, "sub-strokecase0001", "_dwi.nii.gz")));
    assertEquals(List.of(original.grid().nx(), original.grid().ny(), original.grid().nz()), record.getOriginalShape());
  }

  private static String findString(Path root, String caseId, String suffix) throws IOException {
    return find(root, caseId, suffix).toString();
  }

  private static Path find(Path root, String caseId, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(caseId) && f.getFileName().toString().endsWith(suffix))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + caseId + "*" + suffix + " under " + root));
    }
  }
}
