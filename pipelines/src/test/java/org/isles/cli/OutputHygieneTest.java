package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.io.Json;
import org.isles.pipelines.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output folder reused by isles preprocess: leftovers of a killed run, another input, --overwrite. */
class OutputHygieneTest {
  @TempDir Path dir;

  @Test
  void aFolderOfAnotherInputIsRefusedUnlessOverwriteReplacesItsCases() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    assertEquals(0, IslesCli.execute("synth", "--out", first.toString(), "--cases", "2", "--seed", "4", "--size", "0.3"));
    assertEquals(0, IslesCli.execute("synth", "--out", second.toString(), "--cases", "1", "--seed", "6", "--size", "0.3"));
    Path out = dir.resolve("processed");
    assertEquals(0, IslesCli.execute("preprocess", "--input", first.toString(), "--out", out.toString(), "--spacing", "4,4,4"));
    JsonNode record = Json.read(RunLayout.record(out), JsonNode.class);
    assertEquals("finished", record.get("status").asText());
    assertEquals(first.toAbsolutePath().toString(), record.get("input").asText());
    assertEquals(List.of("sub-strokecase0001", "sub-strokecase0002"),
        List.of(record.get("case_ids").get(0).asText(), record.get("case_ids").get(1).asText()));
    // What a run killed while writing case 1's DWI leaves behind (AtomicFiles' temporary name).
    Path leftover = out.resolve("sub-strokecase0001").resolve(".dwi.nii.gz.3f2b8c1d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.tmp");
    Files.writeString(leftover, "half a volume");

    CliRun refused = CliRun.isles("preprocess", "--input", second.toString(), "--out", out.toString(), "--spacing", "4,4,4");

    assertEquals(2, refused.exitCode());
    assertEquals("isles preprocess: error: " + out.toAbsolutePath() + " holds cases of " + first.toAbsolutePath() + ", not "
        + second.toAbsolutePath() + "; use --overwrite", refused.err().strip());
    assertTrue(Files.isDirectory(out.resolve("sub-strokecase0002")), "a refused run changes nothing");

    assertEquals(0, IslesCli.execute("preprocess", "--input", second.toString(), "--out", out.toString(), "--spacing", "4,4,4",
        "--overwrite"));

    assertFalse(Files.exists(leftover), "temporary files of the killed run are gone");
    assertFalse(Files.exists(out.resolve("sub-strokecase0002")), "no case of the first input stays beside the new ones");
    assertTrue(Files.isRegularFile(out.resolve("sub-strokecase0001").resolve("case.avro")));
    record = Json.read(RunLayout.record(out), JsonNode.class);
    assertEquals(second.toAbsolutePath().toString(), record.get("input").asText());
    assertEquals("finished", record.get("status").asText());
    assertEquals(0, Json.read(out.resolve("failures.json"), JsonNode.class).size());
  }
}
