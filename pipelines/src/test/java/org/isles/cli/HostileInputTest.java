package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.pipelines.OutputFolder;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's reproduction: among good cases, a small case whose headers say 36 mm voxels,
 * resampled to 2 mm by a JVM with a 512 MB heap. Its output grid needs over 1 GB, so the case runs
 * out of memory (a per-case memory budget refuses it up front instead): either way only that case
 * fails, failures.json names it and its DWI, the others are written and the exit status is 1.
 */
class HostileInputTest {
  private static final double HUGE_VOXEL_MM = 36;

  @TempDir Path dir;

  @Test
  void aCaseThatExhaustsTheHeapCostsOnlyItself() throws Exception {
    Path input = dir.resolve("synth");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "3", "--seed", "8", "--size", "0.3"));
    Path dwi = find(input, "sub-strokecase0002_ses-0001_dwi.nii.gz");
    for (String suffix : List.of("_dwi.nii.gz", "_adc.nii.gz", "_msk.nii.gz")) {
      Path file = find(input, "sub-strokecase0002_ses-0001" + suffix);
      Volume volume = Nifti.readVolume(file);
      Grid grid = volume.grid();
      Grid huge = Grid.axisAligned(grid.nx(), grid.ny(), grid.nz(), HUGE_VOXEL_MM, HUGE_VOXEL_MM, HUGE_VOXEL_MM);
      Nifti.write(file, new Volume(huge, volume.data()), suffix.equals("_msk.nii.gz") ? NiftiDatatype.UINT8 : NiftiDatatype.FLOAT32);
    }
    Path out = dir.resolve("processed");

    Process isles = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), IslesCli.class.getName(),
        "preprocess", "--input", input.toString(), "--out", out.toString(), "--spacing", "2,2,2", "--parallelism", "1")
        .redirectErrorStream(true)
        .start();
    String output = new String(isles.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertEquals(1, isles.waitFor(), output);
    List<?> failures = Json.read(out.resolve("failures.json"), List.class);
    assertEquals(1, failures.size(), output);
    Map<?, ?> failure = (Map<?, ?>) failures.get(0);
    assertEquals("sub-strokecase0002", failure.get("case_id"));
    assertEquals(dwi.toString(), failure.get("file"));
    String cause = failure.get("cause").toString();
    assertTrue(cause.startsWith("OutOfMemoryError: ") || cause.contains("would need"), cause);
    assertFalse(cause.contains("\n"), cause);
    for (String good : List.of("sub-strokecase0001", "sub-strokecase0003")) {
      assertTrue(Files.isRegularFile(out.resolve(good).resolve("case.avro")), good + " was written: " + output);
    }
    assertTrue(OutputFolder.isFinished(out, "preprocess", input));
  }

  private static Path find(Path root, String name) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }
}
