package org.isles.cli;

import static org.isles.cli.CliRun.isles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Manifest;
import org.isles.dataset.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles synth} and {@code isles manifest} run end to end through {@link IslesCli#execute}. */
class DatasetCommandsTest {
  @TempDir Path dir;


  @Test
  void synthWritesTheDatasetAndManifestListsIt() {
    Path data = dir.resolve("isles");
    CliRun synth = isles("synth", "--out", data.toString(), "--cases", "3", "--seed", "7", "--size", "0.3");
    assertEquals(0, synth.exitCode(), synth.err());
    assertTrue(synth.err().contains("synth: 3/3 cases"), synth.err());
    for (int n = 1; n <= 3; n++) {
      for (Modality modality : Modality.values()) {
        assertTrue(Files.isRegularFile(BidsLayout.path(data, BidsLayout.caseId(n), modality)));
      }
    }
    assertTrue(Files.isRegularFile(data.resolve("dataset_description.json")));

    for (String name : List.of("cases.json", "out/cases.avro")) {
      CliRun manifest = isles("manifest", "--input", data.toString(), "--out", dir.resolve(name).toString());
      assertEquals(0, manifest.exitCode(), manifest.err());
      assertTrue(manifest.out().startsWith("3 cases: 3 valid, 0 invalid"), manifest.out());
      assertEquals(Manifest.of(data), Manifest.read(dir.resolve(name)), name);
    }
  }

  @Test
  void manifestCountsAndExplainsInvalidCases() throws Exception {
    Path data = dir.resolve("isles");
    assertEquals(0, isles("synth", "--out", data.toString(), "--cases", "2", "--size", "0.3").exitCode());
    Files.delete(BidsLayout.path(data, "sub-strokecase0002", Modality.DWI));

    CliRun manifest = isles("manifest", "--input", data.toString(), "--out", dir.resolve("cases.json").toString());

    assertEquals(0, manifest.exitCode(), manifest.err());
    assertEquals(List.of(
            "2 cases: 1 valid, 1 invalid; manifest written to " + dir.resolve("cases.json"),
            "invalid sub-strokecase0002: missing DWI: no file matching *_dwi.nii[.gz] in "
                + data.toAbsolutePath().normalize().resolve("rawdata/sub-strokecase0002")),
        manifest.out().lines().toList());
  }

  @Test
  void errorsAreOneLineAndANonZeroExit() {
    Path missing = dir.resolve("nowhere");
    CliRun noRoot = isles("manifest", "--input", missing.toString(), "--out", dir.resolve("m.json").toString());
    assertEquals(List.of("isles manifest: error: dataset root " + missing + " is not a directory"), noRoot.err().lines().toList());
    assertTrue(noRoot.exitCode() != 0);

    CliRun badSize = isles("synth", "--out", dir.toString(), "--size", "3");
    assertEquals(List.of("isles synth: error: synthetic head size must be in (0.05, 2], got 3.0"), badSize.err().lines().toList());
    assertTrue(badSize.exitCode() != 0);

    Path data = dir.resolve("isles");
    assertEquals(0, isles("synth", "--out", data.toString(), "--cases", "1", "--size", "0.2").exitCode());
    CliRun again = isles("synth", "--out", data.toString(), "--cases", "1", "--size", "0.2");
    assertEquals(List.of("isles synth: error: output folder " + data + " is not empty; choose a new folder or empty it first"),
        again.err().lines().toList());
    assertTrue(again.exitCode() != 0);

    CliRun badName = isles("manifest", "--input", data.toString(), "--out", dir.resolve("m.csv").toString());
    assertEquals(List.of("isles manifest: error: manifest file " + dir.resolve("m.csv") + " must end in .json or .avro"),
        badName.err().lines().toList());
    assertTrue(badName.exitCode() != 0);
  }
}
