package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles report-html} through {@link IslesCli#execute}; the page itself is tested in transforms. */
class HtmlReportCommandTest {
  @TempDir Path dir;

  @Test
  void writesReportHtmlIntoTheRunDirectoryByDefault() throws Exception {
    assertEquals(0, IslesCli.execute("report-html", "--run-dir", dir.toString()));
    assertTrue(Files.readString(dir.resolve("report.html")).contains("no eval/summary.json"));
  }

  @Test
  void writesWhereOutSays() {
    Path out = dir.resolve("mail/run.html");
    assertEquals(0, IslesCli.execute("report-html", "--run-dir", dir.toString(), "--out", out.toString()));
    assertTrue(Files.isRegularFile(out));
    assertFalse(Files.exists(dir.resolve("report.html")));
  }

  @Test
  void missingRunDirectoryIsAnError() {
    assertEquals(2, IslesCli.execute("report-html", "--run-dir", dir.resolve("nowhere").toString()));
  }
}
