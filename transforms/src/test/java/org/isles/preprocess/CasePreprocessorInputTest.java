package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isles.dataset.CaseInputException;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or odd cases: refused by the memory budget before any read, masks that are not 0/1. */
class CasePreprocessorInputTest {
  private static final Pattern REFUSAL =
      Pattern.compile("case sub-strokecase0001 would need ([0-9.]+) GB at 2 mm \\(budget ([0-9.]+) GB[^)]*\\) \\(.*_dwi\\.nii\\.gz\\)");

  @TempDir Path dir;

  /**
   * The reproduction: a case of a few KB whose sform claims 36 mm voxels, resampled to
   * 2 mm, asks for a 1152^3 grid (1.5 billion voxels, 5.7 GiB per float32 image). It must be
   * refused from its headers with the need stated, not read, resampled or sent into the heap.
   */
  @Test
  void aTinyCaseClaimingHugeVoxelsIsRefusedByTheBudgetBeforeAnyRead() throws IOException {
    Grid claimed = Grid.axisAligned(64, 64, 64, 36, 36, 36);
    Volume head = ball(claimed);
    for (int n = 0; n < head.data().length; n++) {
      head.data()[n] = head.data()[n] == 0 ? 0 : 100;
    }
    CaseRecord record = writeCase(claimed, head);
    long bytesOnDisk = Files.size(Path.of(record.getDwiPath())) + Files.size(Path.of(record.getAdcPath()))
        + Files.size(Path.of(record.getMaskPath()));
    assertTrue(bytesOnDisk < 16 * 1024, "the case is " + bytesOnDisk + " bytes");

    CasePreprocessor preprocessor = new CasePreprocessor(PreprocessingSettings.spacing(2, 2, 2));
    CaseInputException e = assertThrows(CaseInputException.class, () -> preprocessor.prepare(record));

    Matcher refusal = REFUSAL.matcher(e.getMessage());
    assertTrue(refusal.matches(), e.getMessage());
    assertEquals(record.getDwiPath(), e.file());
    // two float32 channels alone on 1152^3 voxels are 11 GiB: the estimate must count at least that
    double neededGb = Double.parseDouble(refusal.group(1));
    assertTrue(neededGb > 2 * 4 * Math.pow(1152, 3) / (1L << 30), e.getMessage());
    assertEquals(CaseMemoryBudget.heapShare(Runtime.getRuntime().availableProcessors()).limitBytes() / (double) (1L << 30),
        Double.parseDouble(refusal.group(2)), 0.01, e.getMessage());
  }

  @Test
  void anExplicitBudgetDecidesBothWays() throws IOException {
    Grid grid = Grid.axisAligned(20, 18, 12, 1.8, 1.8, 4);
    CaseRecord record = writeCase(grid, ball(grid));
    PreprocessingSettings settings = PreprocessingSettings.spacing(2, 2, 2);

    CasePreprocessor.PreparedCase prepared = new CasePreprocessor(settings, CaseMemoryBudget.parse("64m", 1)).prepare(record);
    assertEquals(2, prepared.channels().size());

    CaseInputException e = assertThrows(CaseInputException.class,
        () -> new CasePreprocessor(settings, CaseMemoryBudget.parse("16k", 1)).prepare(record));
    Matcher refusal = REFUSAL.matcher(e.getMessage());
    assertTrue(refusal.matches(), e.getMessage());
    assertTrue(e.getMessage().contains("(budget 0.0000153 GB)"), e.getMessage());
    // the estimate covers at least the float32 inputs and the two normalized channels on the target grid
    long targetVoxels = 18L * 16 * 24;
    double neededBytes = Double.parseDouble(refusal.group(1)) * (1L << 30);
    assertTrue(neededBytes >= 4.0 * (3 * grid.size() + 2 * targetVoxels), e.getMessage());
  }

  @Test
  void budgetSizesParseWithBinaryUnitsAndRefuseNonsense() {
    assertEquals(4L << 30, CaseMemoryBudget.parse("4g", 2).limitBytes());
    assertEquals(512L << 20, CaseMemoryBudget.parse("512M", 2).limitBytes());
    assertEquals(3L << 29, CaseMemoryBudget.parse("1.5GB", 2).limitBytes());
    assertEquals(1L << 40, CaseMemoryBudget.parse("1TiB", 2).limitBytes());
    assertEquals(1000, CaseMemoryBudget.parse("1000", 2).limitBytes());
    assertEquals((long) (Runtime.getRuntime().maxMemory() * 0.75 / 4), CaseMemoryBudget.parse("auto", 4).limitBytes());
    for (String bad : new String[] {"0", "-1g", "lots", "4x", "NaN", "", "0.1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaseMemoryBudget.parse(bad, 1), bad);
      assertTrue(e.getMessage().startsWith("case memory budget must be"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> CaseMemoryBudget.heapShare(0));
  }

  /** --spacing 0, -1 or NaN used to start the pipeline and fail every case; the settings refuse them when made. */
  @Test
  void settingsRefuseVoxelSizesNoCaseCouldUse() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreprocessingSettings.spacing(2, bad, 2));
      assertEquals("target spacing must be a positive number of mm, got " + bad, e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> PreprocessingSettings.maxZoom(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> PreprocessingSettings.spacing(2, 2));
  }

  /** SPEC 6a: nonzero is lesion. A mask holding -1, 0.5 or 255 is used by that rule, with a warning and the counts. */
  @Test
  void aNonBinaryMaskIsWarnedAboutCountedByTheNonzeroRuleAndDescribedInCaseJson() throws IOException {
    Grid grid = Grid.axisAligned(16, 16, 10, 2, 2, 2);
    Volume mask = Volume.zeros(grid);
    float[] values = mask.data();
    values[grid.index(8, 8, 5)] = -1;
    values[grid.index(8, 9, 5)] = -1;
    values[grid.index(7, 8, 5)] = 0.5f;
    values[grid.index(6, 8, 5)] = 255;
    values[grid.index(6, 7, 5)] = 255;
    values[grid.index(6, 6, 5)] = 255;
    values[grid.index(5, 8, 5)] = 1;
    CaseRecord record = writeCase(grid, ball(grid), mask, NiftiDatatype.FLOAT32);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    Path out = dir.resolve("out");
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      new CasePreprocessor(PreprocessingSettings.spacing(2, 2, 2)).process(record, out);
    } finally {
      System.setErr(stderr);
    }

    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("-1", 2L);
    expected.put("0", (long) grid.size() - 7);
    expected.put("0.5", 1L);
    expected.put("1", 1L);
    expected.put("255", 3L);
    String warning = err.toString(StandardCharsets.UTF_8).strip();
    assertEquals("warning: mask " + record.getMaskPath() + " is not binary, values (voxels) " + expected
        + "; every nonzero voxel counts as lesion", warning);
    Map<?, ?> caseJson = Json.read(new ProcessedStore(out).caseJson("sub-strokecase0001"), Map.class);
    assertEquals("nonzero", caseJson.get("mask_rule"));
    Map<String, Object> expectedJson = new LinkedHashMap<>(expected);
    expectedJson.replaceAll((value, count) -> ((Long) count).intValue());
    assertEquals(expectedJson, caseJson.get("mask_values"));
    assertEquals(7, ((Number) ((Map<?, ?>) caseJson.get("case")).get("lesion_voxels")).intValue(), "every nonzero voxel is lesion");
    Volume written = Nifti.readVolume(new ProcessedStore(out).mask("sub-strokecase0001"));
    double sum = 0;
    for (float v : written.data()) {
      assertTrue(v == 0 || v == 1, "written mask is binary");
      sum += v;
    }
    assertEquals(7, sum, "same grid, so the nearest-neighbour mask keeps all 7 lesion voxels");
  }

  @Test
  void aBinaryMaskStatesTheRuleAndNoValues() throws IOException {
    Grid grid = Grid.axisAligned(16, 16, 10, 2, 2, 2);
    Volume mask = Volume.zeros(grid);
    mask.data()[grid.index(8, 8, 5)] = 1;
    CaseRecord record = writeCase(grid, ball(grid), mask, NiftiDatatype.UINT8);
    Path out = dir.resolve("out");
    new CasePreprocessor(PreprocessingSettings.spacing(2, 2, 2)).process(record, out);
    Map<?, ?> caseJson = Json.read(new ProcessedStore(out).caseJson("sub-strokecase0001"), Map.class);
    assertEquals("nonzero", caseJson.get("mask_rule"));
    assertFalse(caseJson.containsKey("mask_values"));
    assertNull(CasePreprocessor.nonBinaryValues(mask));
  }

  @Test
  void aMaskWithManyDistinctValuesListsThemBoundedWithTheRestAsOther() {
    Grid grid = Grid.axisAligned(10, 10, 10, 1, 1, 1);
    Volume probabilities = Volume.zeros(grid);
    for (int n = 0; n < grid.size(); n++) {
      probabilities.data()[n] = n / 1000f;
    }
    Map<String, Long> values = CasePreprocessor.nonBinaryValues(probabilities);
    // 0 (background) and the first 32 other values are listed
    assertEquals(34, values.size(), values.toString());
    assertEquals(1000 - 33, values.get("other"));
    assertEquals(1000, values.values().stream().mapToLong(Long::longValue).sum());
  }

  private CaseRecord writeCase(Grid grid, Volume head) {
    Volume mask = Volume.zeros(grid);
    mask.data()[grid.index(grid.nx() / 2, grid.ny() / 2, grid.nz() / 2)] = 1;
    return writeCase(grid, head, mask, NiftiDatatype.UINT8);
  }

  private CaseRecord writeCase(Grid grid, Volume head, Volume mask, NiftiDatatype maskType) {
    Path dwi = dir.resolve("sub-strokecase0001_ses-0001_dwi.nii.gz");
    Path adc = dir.resolve("sub-strokecase0001_ses-0001_adc.nii.gz");
    Path msk = dir.resolve("sub-strokecase0001_ses-0001_msk.nii.gz");
    Nifti.write(dwi, head, NiftiDatatype.UINT8);
    Nifti.write(adc, head, NiftiDatatype.UINT8);
    Nifti.write(msk, mask, maskType);
    return CaseRecord.newBuilder()
        .setCaseId("sub-strokecase0001")
        .setDwiPath(dwi.toString())
        .setAdcPath(adc.toString())
        .setMaskPath(msk.toString())
        .build();
  }

  /** A head: a ball of varied intensities filling the middle of the grid. */
  private static Volume ball(Grid grid) {
    Volume head = Volume.zeros(grid);
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          double x = (i - grid.nx() / 2.0) / grid.nx();
          double y = (j - grid.ny() / 2.0) / grid.ny();
          double z = (k - grid.nz() / 2.0) / grid.nz();
          if (x * x + y * y + z * z < 0.16) {
            head.data()[grid.index(i, j, k)] = 10 + (i * 7 + j * 3 + k) % 50;
          }
        }
      }
    }
    return head;
  }
}
