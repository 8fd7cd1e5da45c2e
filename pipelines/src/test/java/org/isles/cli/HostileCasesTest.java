package org.isles.cli;

import static org.isles.cli.CliRun.isles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Manifest;
import org.isles.dataset.Modality;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cases that must cost only themselves in {@code isles manifest} and {@code isles preprocess}. */
class HostileCasesTest {
  @TempDir Path dir;

  /**
   * The issue's reproduction: a few-KB case whose sform claims 36 mm voxels, resampled to 2 mm,
   * is refused by the memory budget (here the default) and reported in failures.json with its
   * file; the other cases are preprocessed.
   */
  @Test
  void aCaseClaimingHugeVoxelsIsRefusedByTheBudgetAndTheOthersComplete() throws IOException {
    Path data = synth(3);
    Grid claimed = Grid.axisAligned(64, 64, 64, 36, 36, 36);
    Volume head = Volume.zeros(claimed);
    for (int k = 16; k < 48; k++) {
      for (int j = 16; j < 48; j++) {
        for (int i = 16; i < 48; i++) {
          head.data()[claimed.index(i, j, k)] = 100;
        }
      }
    }
    for (Modality modality : List.of(Modality.DWI, Modality.ADC, Modality.MASK)) {
      Nifti.write(BidsLayout.path(data, "sub-strokecase0002", modality), head, NiftiDatatype.UINT8);
    }
    Path out = dir.resolve("processed");

    CliRun run = isles("preprocess", "--input", data.toString(), "--out", out.toString(), "--spacing", "2,2,2");

    assertEquals(1, run.exitCode(), run.err());
    List<?> failures = Json.read(out.resolve("failures.json"), List.class);
    assertEquals(1, failures.size(), failures.toString());
    Map<?, ?> failure = (Map<?, ?>) failures.get(0);
    assertEquals("sub-strokecase0002", failure.get("case_id"));
    String dwi = BidsLayout.path(data, "sub-strokecase0002", Modality.DWI).toAbsolutePath().normalize().toString();
    assertEquals(dwi, failure.get("file"));
    assertTrue(failure.get("cause").toString().matches(
        "case sub-strokecase0002 would need [0-9.]+ GB at 2 mm \\(budget [0-9.]+ GB = 0\\.75 of the heap / [0-9]+ workers\\) \\("
            + java.util.regex.Pattern.quote(dwi) + "\\)"), failure.toString());
    assertTrue(Files.isRegularFile(new ProcessedStore(out).caseAvro("sub-strokecase0001")));
    assertTrue(Files.isRegularFile(new ProcessedStore(out).caseAvro("sub-strokecase0003")));
    assertFalse(Files.exists(out.resolve("sub-strokecase0002")));

    CliRun tight = isles("preprocess", "--input", data.toString(), "--out", dir.resolve("tight").toString(), "--spacing", "2,2,2",
        "--case-memory-budget", "1m");
    assertEquals(1, tight.exitCode(), tight.err());
    List<?> all = Json.read(dir.resolve("tight").resolve("failures.json"), List.class);
    assertEquals(3, all.size(), "a 1 MiB budget refuses every case: " + all);
    assertTrue(((Map<?, ?>) all.get(0)).get("cause").toString().contains("(budget 0.000977 GB)"), all.toString());
  }

  /** A subject folder the user cannot list costs its case in manifest and preprocess (not checkable as root). */
  @Test
  void anUnreadableSubjectFolderCostsOnlyItsCase() throws IOException {
    Path data = synth(2);
    Path locked = data.resolve("rawdata/sub-strokecase0001");
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(locked);
    Files.setPosixFilePermissions(locked, Set.of());
    try {
      assumeFalse(Files.isReadable(locked), "permission bits do not stop this user (root); CaseDiscoveryTest injects the failure");
      CliRun manifest = isles("manifest", "--input", data.toString(), "--out", dir.resolve("cases.json").toString());
      assertEquals(0, manifest.exitCode(), manifest.err());
      CaseRecord denied = Manifest.read(dir.resolve("cases.json")).cases().get(0);
      assertFalse(denied.getValid());
      assertTrue(denied.getInvalidReason().startsWith("unreadable folder " + locked.toAbsolutePath().normalize()), denied.toString());

      Path out = dir.resolve("processed");
      CliRun preprocess = isles("preprocess", "--input", data.toString(), "--out", out.toString(), "--spacing", "2,2,2");
      assertEquals(1, preprocess.exitCode(), preprocess.err());
      List<?> failures = Json.read(out.resolve("failures.json"), List.class);
      assertEquals(1, failures.size());
      assertTrue(((Map<?, ?>) failures.get(0)).get("cause").toString().startsWith("unreadable folder "), failures.toString());
      assertTrue(Files.isRegularFile(new ProcessedStore(out).caseAvro("sub-strokecase0002")));
    } finally {
      Files.setPosixFilePermissions(locked, permissions);
    }
  }

  /** A header the reader refuses is an invalid case in the manifest, on one line naming the file. */
  @Test
  void aRefusedHeaderIsAnInvalidCaseInTheManifest() throws IOException {
    Path data = synth(2);
    Path adc = BidsLayout.path(data, "sub-strokecase0002", Modality.ADC);
    Files.write(adc, new byte[] {0x1f, (byte) 0x8b, 8, 0}); // a gzip stream cut after its first bytes

    CliRun manifest = isles("manifest", "--input", data.toString(), "--out", dir.resolve("cases.json").toString());

    assertEquals(0, manifest.exitCode(), manifest.err());
    List<String> lines = manifest.out().lines().toList();
    assertEquals(2, lines.size(), manifest.out());
    assertTrue(lines.get(1).startsWith("invalid sub-strokecase0002: unreadable header: ") && lines.get(1).contains(adc.toString()),
        lines.get(1));
  }

  private Path synth(int cases) {
    Path data = dir.resolve("data");
    CliRun synth = isles("synth", "--out", data.toString(), "--cases", "" + cases, "--seed", "5", "--size", "0.3");
    assertEquals(0, synth.exitCode(), synth.err());
    return data;
  }
}
