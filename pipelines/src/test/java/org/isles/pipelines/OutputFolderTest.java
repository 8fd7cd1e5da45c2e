package org.isles.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
  private static final String STAGE = "preprocess";

  @TempDir Path dir;

  private Path out() {
    return dir.resolve("out");
  }

  /** A case of this fake stage writes one folder, OUT/<case_id>/. */
  private Function<String, List<Path>> caseFolders() {
    Path out = out();
    return id -> List.of(out.resolve(id));
  }

  private void writeCase(String id) throws IOException {
    Files.createDirectories(out().resolve(id));
    Files.writeString(out().resolve(id).resolve("dwi.nii.gz"), id);
  }

  private JsonNode record() {
    return Json.read(RunLayout.record(out()), JsonNode.class);
  }

  @Test
  void aRunIsRecordedRunningUntilItFinishes() {
    Path input = dir.resolve("data");
    OutputFolder.Claim claim = new OutputFolder(out(), input, false).claim(STAGE, List.of("b", "a"), caseFolders());
    assertEquals("running", record().get("status").asText());
    assertEquals(input.toAbsolutePath().toString(), record().get("input").asText());
    assertEquals("[\"a\",\"b\"]", record().get("case_ids").toString());
    assertFalse(OutputFolder.isFinished(out(), STAGE, input), "a killed run looks unfinished");

    claim.finish();

    assertEquals("finished", record().get("status").asText());
    assertTrue(OutputFolder.isFinished(out(), STAGE, input));
    assertFalse(OutputFolder.isFinished(out(), STAGE, dir.resolve("other")));
    assertFalse(OutputFolder.isFinished(out(), "predict", input));
  }

  @Test
  void temporaryFilesOfKilledRunsAreRemovedAndNothingElse() throws IOException {
    Path caseDir = Files.createDirectories(out().resolve("a"));
    Path leftover = Files.writeString(caseDir.resolve(".dwi.nii.gz.0b7e5f4c-9d1a-4e8b-a3f2-5c6d7e8f9a0b.tmp"), "half");
    Path userFile = Files.writeString(caseDir.resolve("notes.tmp"), "mine");
    assertTrue(AtomicFiles.isTemporary(leftover));

    new OutputFolder(out(), dir.resolve("data"), false).claim(STAGE, List.of("a"), caseFolders());

    assertFalse(Files.exists(leftover));
    assertTrue(Files.exists(userFile));
  }

  @Test
  void anotherInputIsRefusedUnlessOverwriteWhichDeletesItsCases() throws IOException {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    new OutputFolder(out(), first, false).claim(STAGE, List.of("a", "b"), caseFolders()).finish();
    writeCase("a");
    writeCase("b");

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new OutputFolder(out(), second, false).claim(STAGE, List.of("a"), caseFolders()));
    assertEquals(out() + " holds cases of " + first + ", not " + second + "; use --overwrite", refused.getMessage());
    assertTrue(Files.exists(out().resolve("b")), "a refused run changes nothing");
    assertTrue(OutputFolder.isFinished(out(), STAGE, first));

    new OutputFolder(out(), second, true).claim(STAGE, List.of("a"), caseFolders());

    assertFalse(Files.exists(out().resolve("a")));
    assertFalse(Files.exists(out().resolve("b")), "no case of the first input stays beside the new ones");
    assertEquals(second.toString(), record().get("input").asText());
    assertEquals("[\"a\"]", record().get("case_ids").toString());
  }

  @Test
  void theSameInputContinuesAndKeepsTheCasesItHolds() throws IOException {
    Path input = dir.resolve("data");
    new OutputFolder(out(), input, false).claim(STAGE, List.of("a", "b"), caseFolders());
    writeCase("a");

    new OutputFolder(out(), input, false).claim(STAGE, List.of("c"), caseFolders()).finish();

    assertTrue(Files.exists(out().resolve("a")));
    assertEquals("[\"a\",\"b\",\"c\"]", record().get("case_ids").toString());
    assertTrue(OutputFolder.isFinished(out(), STAGE, input));
  }

  @Test
  void anotherStageOrAFileIsRefusedEvenWithOverwrite() throws IOException {
    new OutputFolder(out(), dir.resolve("data"), false).claim("predict", List.of("a"), caseFolders()).finish();
    IllegalArgumentException stage = assertThrows(IllegalArgumentException.class,
        () -> new OutputFolder(out(), dir.resolve("data"), true).claim(STAGE, List.of("a"), caseFolders()));
    assertEquals(out() + " holds the output of isles predict, not of isles preprocess; choose another folder", stage.getMessage());

    Path file = Files.writeString(dir.resolve("file"), "x");
    IllegalArgumentException notAFolder = assertThrows(IllegalArgumentException.class,
        () -> new OutputFolder(file, dir.resolve("data"), false).claim(STAGE, List.of("a"), caseFolders()));
    assertEquals(file + " is a file, not a folder", notAFolder.getMessage());
  }

  @Test
  void overwriteDeletesNothingOutsideTheFolder() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("precious"));
    new OutputFolder(out(), dir.resolve("data"), false).claim(STAGE, List.of("../precious"), caseFolders()).finish();
    assertThrows(IllegalArgumentException.class,
        () -> new OutputFolder(out(), dir.resolve("other"), true).claim(STAGE, List.of("a"), caseFolders()));
    assertTrue(Files.isDirectory(outside));
  }
}
