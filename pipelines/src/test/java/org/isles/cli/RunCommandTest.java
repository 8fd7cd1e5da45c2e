package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.pipelines.TinyTraining;
import org.isles.split.CrossValidationSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles run} on the embedded Flink runner, end to end, on a tiny network and dataset. */
class RunCommandTest {
  @TempDir Path dir;

  @Test
  void runsEveryStageOnFlinkAndItsSummaryEqualsAStandaloneEvaluation() throws Exception {
    Path input = dir.resolve("synth");
    Path config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG);
    Path out = dir.resolve("run");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "8", "--seed", "5", "--size", "0.3"));

    assertEquals(0, IslesCli.execute("run", "--config", config.toString(), "--input", input.toString(), "--out", out.toString(),
        "--folds", "0", "--runner", "FlinkRunner", "--parallelism", "2"));

    List<String> test = CrossValidationSplit.read(out.resolve("splits.json")).test();
    for (String caseId : test) {
      assertTrue(Files.isRegularFile(out.resolve("predictions").resolve(caseId + ".nii.gz")), caseId + " predicted");
    }
    assertTrue(Files.isRegularFile(out.resolve("eval/analysis_report.json")));
    List<String> validation = CrossValidationSplit.read(out.resolve("splits.json")).fold(0).val();
    for (String caseId : validation) {
      assertTrue(Files.isRegularFile(out.resolve("predictions_validation").resolve(caseId + ".nii.gz")), caseId + " predicted out of fold");
    }
    assertEquals("auto", Json.read(out.resolve("run.json"), JsonNode.class).path("precision").asText(),
        "a config without precision predicts with auto");
    assertEquals("auto", Json.read(out.resolve("predictions/prediction.json"), JsonNode.class).at("/precision/requested").asText());
    JsonNode selection = Json.read(out.resolve("eval_validation/selection.json"), JsonNode.class);
    assertEquals(validation.size(), selection.get("n_cases_chosen_on").asInt(), "chosen on fold 0's validation cases");
    JsonNode summary = Json.read(out.resolve("eval/summary.json"), JsonNode.class);
    assertEquals("selected_on_validation", summary.fieldNames().next(), "the test summary leads with the chosen settings");
    assertEquals(selection.get("threshold"), summary.at("/selected_on_validation/threshold"));
    assertEquals(test.size(), summary.at("/selected_on_validation/n_cases").asInt());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.indexOf("Chosen on validation, applied to the test set") < html.indexOf("(best_all)"), "the report leads with it");
    assertTrue(Files.readString(out.resolve("report.html")).contains("src=\"data:image/png;base64,"));
    assertReportRendersInChromium(out.resolve("report.html"));

    Path standalone = dir.resolve("eval-again");
    assertEquals(0, IslesCli.execute("evaluate", "--probs-dir", out.resolve("predictions").toString(), "--gt", input.toString(),
        "--out-dir", standalone.toString(), "--cases", out.resolve("splits.json").toString(),
        "--thresholds", "0.02,0.04,...,0.98", "--selected", out.resolve("eval_validation/selection.json").toString()));
    assertEquals(49, Json.read(out.resolve("eval/summary.json"), JsonNode.class).path("rules").path("thresholds").size(),
        "the run sweeps thresholds 0.02..0.98");
    assertArrayEquals(Files.readAllBytes(out.resolve("eval/summary.json")), Files.readAllBytes(standalone.resolve("summary.json")),
        "the run's summary is exactly what isles evaluate writes for the same predictions");

    // Continued as a run made before the recipe (run.json) and the training summary (summary.json) were renamed.
    Files.move(out.resolve("runs/tiny/recipe.json"), out.resolve("runs/tiny/run.json"));
    Files.move(out.resolve("runs/tiny/training_summary.json"), out.resolve("runs/tiny/summary.json"));
    FileTime trained = Files.getLastModifiedTime(out.resolve("runs/tiny/summary.json"));
    FileTime evaluated = Files.getLastModifiedTime(out.resolve("eval/summary.json"));
    CliRun again = CliRun.isles("run", "--config", config.toString(), "--input", input.toString(), "--out", out.toString(),
        "--folds", "0");
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(trained, Files.getLastModifiedTime(out.resolve("runs/tiny/summary.json")), "finished training is skipped");
    assertTrue(!Files.exists(out.resolve("runs/tiny/recipe.json")), "the old run was predicted from its run.json");
    assertEquals(evaluated, Files.getLastModifiedTime(out.resolve("eval/summary.json")), "finished evaluation is skipped");
    List<String> stages = again.err().lines().filter(line -> line.startsWith("== ")).toList();
    assertEquals(List.of("== preprocess: outputs exist, skipped", "== split: outputs exist, skipped", "== train: outputs exist, skipped"),
        stages.subList(0, 3));
    String predict = "predict --run " + out.resolve("runs/tiny") + " --input " + input + " --out " + out.resolve("predictions")
        + " --cases test --tta flip --precision auto --runner DirectRunner --parallelism 0 --flink-master [local]";
    assertEquals("== predict: isles " + predict, stages.get(5));
    CliRun byHand = CliRun.isles(predict.split(" "));
    assertEquals(0, byHand.exitCode(), byHand.err());
    assertTrue(byHand.out().contains("predicted 0, skipped " + test.size() + " already predicted, 0 failed"), "the same stage: " + byHand.out());

    // Compared with a previous evaluation (here the standalone one) and evaluated again into a history file.
    Files.delete(out.resolve("eval/summary.json"));
    Path history = dir.resolve("history.csv");
    assertEquals(0, IslesCli.execute("run", "--config", config.toString(), "--input", input.toString(), "--out", out.toString(),
        "--folds", "0", "--compare-to", standalone.toString(), "--history", history.toString()));
    JsonNode comparison = Json.read(out.resolve("compare/compare.json"), JsonNode.class);
    assertEquals(test.size(), comparison.get("n_cases_paired").asInt());
    assertEquals(0.0, comparison.at("/comparisons/0/mean_difference").asDouble(), "the same predictions");
    assertTrue(Files.readString(out.resolve("report.html")).contains("href=\"compare/compare.md\""), "the report links the comparison");
    org.isles.io.CsvTable rows = org.isles.io.CsvTable.read(history);
    assertEquals(1, rows.rows().size());
    assertEquals("run", rows.rows().get(0).get(rows.column("run_name")));
    assertTrue(rows.rows().get(0).get(rows.column("model_fingerprints")).matches("fold_0/seed_0=[0-9a-f]{16}"),
        rows.rows().get(0).get(rows.column("model_fingerprints")));
  }

  @Test
  void anOutputFolderOfAnotherInputIsRefusedBeforeAnyStage() throws Exception {
    Path config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG);
    Path out = Files.createDirectories(dir.resolve("run"));
    Path earlier = dir.resolve("earlier-data");
    Json.write(out.resolve("run.json"), Map.of("input", earlier.toString()));
    Path input = dir.resolve("synth");

    CliRun refused = CliRun.isles("run", "--config", config.toString(), "--input", input.toString(), "--out", out.toString());

    assertEquals(2, refused.exitCode());
    assertEquals("isles run: error: " + out + " holds cases of " + earlier + ", not " + input + "; use --overwrite",
        refused.err().strip());
    assertEquals(List.of(out.resolve("run.json")), Files.list(out).toList(), "nothing ran");
  }

  @Test
  void aPrecisionNoEngineServesIsRefusedBeforeAnyStage() throws Exception {
    Path config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG + "precision: int8\n");
    Path out = dir.resolve("run");

    CliRun refused = CliRun.isles("run", "--config", config.toString(), "--input", dir.resolve("synth").toString(),
        "--out", out.toString());

    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().startsWith("isles run: error: precision int8 is not built"), refused.err());
    assertFalse(Files.exists(out.resolve("processed")), "nothing ran");
  }

  /**
   * A stage that cannot run prints the one-line error its command prints by hand, after the line
   * that names that command, and stops the run with exit status 2.
   */
  @Test
  void aStageThatCannotRunStopsTheRunWithItsCommandsOwnError() throws Exception {
    Path config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG);
    Path input = dir.resolve("no-data");
    Path out = dir.resolve("run");

    CliRun failed = CliRun.isles("run", "--config", config.toString(), "--input", input.toString(), "--out", out.toString());

    String preprocess = "preprocess --input " + input + " --out " + out.resolve("processed") + " --spacing 4.0,4.0,4.0"
        + " --case-memory-budget auto --runner DirectRunner --parallelism 0 --flink-master [local]";
    String error = "isles preprocess: error: dataset root " + input + " is not a directory";
    assertEquals(List.of("== preprocess: isles " + preprocess, error, "isles run: error: stage preprocess failed (exit status 2)"),
        failed.err().lines().toList());
    assertEquals(2, failed.exitCode());
    CliRun byHand = CliRun.isles(preprocess.split(" "));
    assertEquals(List.of(error), byHand.err().lines().toList(), "the stage is the command it names");
    assertEquals(2, byHand.exitCode());
  }

  /** scripts/check-report.sh: headless Chromium renders the page to a screenshot that is not blank. */
  private static void assertReportRendersInChromium(Path report) throws Exception {
    Process check = new ProcessBuilder(Path.of("..", "scripts", "check-report.sh").toString(), report.toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, check.waitFor(), "check-report.sh: " + output);
    assertTrue(Files.size(report.resolveSibling("report.screenshot.png")) > 0, output);
  }
}
