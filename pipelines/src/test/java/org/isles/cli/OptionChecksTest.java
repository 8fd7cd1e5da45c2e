package org.isles.cli;

import static org.isles.cli.CliRun.isles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad option values stop every command with one line and exit status 2 before any work starts:
 * the output folder is never created, no pipeline runs (the inputs named do not even need to be
 * valid, since nothing reads them).
 */
class OptionChecksTest {
  @TempDir static Path dir;
  static Path file;
  static Path data;

  @BeforeAll
  static void anExistingFileAndADataset() throws IOException {
    file = Files.writeString(dir.resolve("existing.txt"), "not a folder");
    data = dir.resolve("data");
    assertEquals(0, isles("synth", "--out", data.toString(), "--cases", "1", "--size", "0.2").exitCode());
  }

  @Test
  void preprocessRefusesBadSpacingBudgetOutputAndParallelism() {
    Path out = dir.resolve("never");
    String in = data.toString();
    refused("isles preprocess: error: invalid value for option '--spacing': '0' (target spacing needs 3 values, got 1)",
        "preprocess", "--input", in, "--out", out.toString(), "--spacing", "0");
    refused("isles preprocess: error: invalid value for option '--spacing': '2,-1,2' (target spacing must be a positive number of mm, got -1.0)",
        "preprocess", "--input", in, "--out", out.toString(), "--spacing", "2,-1,2");
    refused("isles preprocess: error: invalid value for option '--spacing': 'NaN,2,2' (target spacing must be a positive number of mm, got NaN)",
        "preprocess", "--input", in, "--out", out.toString(), "--spacing", "NaN,2,2");
    refused("isles preprocess: error: invalid value for option '--spacing': '2,2' (target spacing needs 3 values, got 2)",
        "preprocess", "--input", in, "--out", out.toString(), "--spacing", "2,2");
    refused("isles preprocess: error: invalid value for option '--max-zoom-mm': 'Infinity' (target spacing must be a positive number of mm, got Infinity)",
        "preprocess", "--input", in, "--out", out.toString(), "--max-zoom-mm", "Infinity");
    refused("isles preprocess: error: invalid value for option '--case-memory-budget': 'lots' (case memory budget must be auto "
            + "or a size such as 4g or 512m, got 'lots')",
        "preprocess", "--input", in, "--out", out.toString(), "--case-memory-budget", "lots");
    refused("isles preprocess: error: invalid value for option '--parallelism': '-1' (parallelism must be >= 0, got -1)",
        "preprocess", "--input", in, "--out", out.toString(), "--parallelism", "-1");
    refused("isles preprocess: error: invalid value for option '--runner': 'Spark' (unknown runner 'Spark': use DirectRunner or FlinkRunner)",
        "preprocess", "--input", in, "--out", out.toString(), "--runner", "Spark");
    refused("isles preprocess: error: invalid value for option '--out': '" + file + "' (is an existing file, not a directory)",
        "preprocess", "--input", in, "--out", file.toString(), "--spacing", "2,2,2");
    assertFalse(Files.exists(out), "nothing was written");
  }

  @Test
  void picocliParseErrorsAreOneLineToo() {
    refused("isles preprocess: error: Missing required parameter for option '--spacing' (<spacingMm>)",
        "preprocess", "--input", data.toString(), "--out", dir.resolve("x").toString(), "--spacing");
    refused("isles split: error: Invalid value for option '--folds': 'five' is not an int",
        "split", "--processed", "p", "--out", "s.json", "--folds", "five");
  }

  @Test
  void everyCommandChecksItsCountsFractionsAndOutputs() {
    String none = dir.resolve("none").toString();
    refused("isles synth: error: invalid value for option '--cases': '0' (must be at least 1)",
        "synth", "--out", none, "--cases", "0");
    refused("isles synth: error: invalid value for option '--out': '" + file + "' (is an existing file, not a directory)",
        "synth", "--out", file.toString());
    refused("isles demo: error: invalid value for option '--cases': '-3' (must be at least 1)",
        "demo", "--out", none, "--cases", "-3");
    refused("isles demo: error: invalid value for option '--tta': 'all' (--tta must be none, flip or full, got 'all')",
        "demo", "--out", none, "--tta", "all");
    refused("isles manifest: error: invalid value for option '--out': '" + dir + "' (is an existing directory, not a file)",
        "manifest", "--input", data.toString(), "--out", dir.toString());
    refused("isles manifest: error: invalid value for option '--out': '" + file.resolve("m.json") + "' (" + file
            + " is a file, not a directory)",
        "manifest", "--input", data.toString(), "--out", file.resolve("m.json").toString());
    refused("isles report: error: invalid value for option '--memory-gb': '0' (must be a positive, finite number)",
        "report", "--input", data.toString(), "--out", dir.resolve("r.json").toString(), "--memory-gb", "0");
    refused("isles predict: error: invalid value for option '--tta': 'mirror' (--tta must be none, flip or full, got 'mirror')",
        "predict", "--run", none, "--input", data.toString(), "--out", none, "--tta", "mirror");
    refused("isles predict: error: invalid value for option '--out': '" + file + "' (is an existing file, not a directory)",
        "predict", "--run", none, "--input", data.toString(), "--out", file.toString());
    refused("isles evaluate: error: invalid value for option '--out-dir': '" + file + "' (is an existing file, not a directory)",
        "evaluate", "--probs-dir", none, "--gt", data.toString(), "--out-dir", file.toString());
    refused("isles analyze: error: invalid value for option '--top-k': '0' (must be at least 1)",
        "analyze", "--eval-dir", none, "--top-k", "0");
    refused("isles report-html: error: invalid value for option '--out': '" + dir + "' (is an existing directory, not a file)",
        "report-html", "--run-dir", none, "--out", dir.toString());
    refused("isles nifti convert: error: invalid value for option 'OUT': '" + dir + "' (is an existing directory, not a file)",
        "nifti", "convert", file.toString(), dir.toString());
    assertFalse(Files.exists(Path.of(none)), "no command started its work");
  }

  /** Values whose own class refuses them first thing in call() need no OptionChecks entry: still one line, exit 2, no work. */
  @Test
  void valuesRefusedByTheirOwnerFailAsEarly() {
    String none = dir.resolve("none-eval").toString();
    refusedWith("min component size and keep-largest must be >= 0", "evaluate", "--probs-dir", none, "--gt", data.toString(), "--out-dir", none, "--min-size", "-5");
    refusedWith("size buckets need two increasing positive volumes", "evaluate", "--probs-dir", none, "--gt", data.toString(),
        "--out-dir", none, "--size-buckets-ml", "10,1");
    refusedWith("threshold 1.5 is outside (0, 1]", "evaluate", "--probs-dir", none, "--gt", data.toString(), "--out-dir", none,
        "--thresholds", "0.5,1.5");
    assertFalse(Files.exists(Path.of(none)));
  }

  /** isles run checks the options of all its stages before the first one starts. */
  @Test
  void runChecksEveryStagesOptionsBeforeItStarts() {
    String out = dir.resolve("run").toString();
    refused("isles run: error: invalid value for option '--thresholds': '0.5,x' (" + thresholdsError("0.5,x") + ")",
        "run", "--config", "c.yaml", "--input", data.toString(), "--out", out, "--thresholds", "0.5,x");
    refused("isles run: error: invalid value for option '--case-memory-budget': '0' (case memory budget must be at least 1 byte "
            + "and finite, got '0')",
        "run", "--config", "c.yaml", "--input", data.toString(), "--out", out, "--case-memory-budget", "0");
    refused("isles run: error: invalid value for option '--tta': 'all' (--tta must be none, flip or full, got 'all')",
        "run", "--config", "c.yaml", "--input", data.toString(), "--out", out, "--tta", "all");
    assertFalse(Files.exists(Path.of(out)), "run.json is not even written");
  }

  private static String thresholdsError(String text) {
    try {
      org.isles.evaluation.Thresholds.parse(text);
      throw new AssertionError(text + " parses");
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static void refusedWith(String part, String... args) {
    CliRun run = isles(args);
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("isles " + args[0] + ": error: ") && lines.get(0).contains(part), lines.get(0));
    assertEquals(2, run.exitCode(), String.join(" ", args));
  }

  private static void refused(String expected, String... args) {
    CliRun run = isles(args);
    assertEquals(List.of(expected), run.err().lines().toList(), String.join(" ", args));
    assertEquals(2, run.exitCode(), String.join(" ", args));
    assertEquals("", run.out(), String.join(" ", args));
  }
}
