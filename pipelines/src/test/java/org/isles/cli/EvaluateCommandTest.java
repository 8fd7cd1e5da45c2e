package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.evaluation.EvaluationFiles;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles evaluate} end to end on {@link CraftedCases}, checked against hand computation. */
class EvaluateCommandTest {
  private static final double EPS = 1e-12;

  @TempDir static Path dir;
  static Path gt;
  static Path probs;
  static Path direct;
  static int directExit;

  @BeforeAll
  static void evaluateOnDirect() throws Exception {
    gt = Files.createDirectories(dir.resolve("gt"));
    probs = Files.createDirectories(dir.resolve("probs"));
    CraftedCases.write(gt, probs);
    direct = dir.resolve("direct");
    directExit = IslesCli.execute("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", direct.toString(), "--thresholds", CraftedCases.THRESHOLDS);
  }

  @Test
  void summaryMatchesHandComputation() {
    assertEquals(0, directExit);
    JsonNode summary = Json.read(direct.resolve("summary.json"), JsonNode.class);
    assertEquals(0.6, summary.get("best_threshold_by_mean_dice").asDouble());
    assertEquals(0.4, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(5, summary.get("n_cases").asInt());
    assertEquals(0.28, summary.at("/per_threshold/0/mean_dice").asDouble(), EPS);
    JsonNode best = summary.at("/per_threshold/1");
    assertEquals(0.5, best.get("voxel_precision").asDouble(), EPS);
    assertEquals(5.0 / 9, best.get("voxel_recall").asDouble(), EPS);
    assertEquals(0.75, best.get("detection_rate_case").asDouble(), EPS);
    assertEquals(1.0, best.get("false_alarm_rate_case").asDouble(), EPS);

    JsonNode extra = summary.get("extra_metrics_best");
    // Volume differences: c1 -3 and c2 +1 and c3 -1 voxels of 0.001 mL, c4 +4 voxels of 0.016 mL.
    assertEquals(0.061 / 5, extra.at("/volume_diff_ml/mean").asDouble(), 1e-9);
    assertEquals(0.069 / 5, extra.at("/volume_diff_ml/mean_abs").asDouble(), 1e-9);
    assertEquals(0.0, extra.at("/lesion_count_diff/mean").asDouble(), EPS);
    assertEquals(0.4, extra.at("/lesion_count_diff/mean_abs").asDouble(), EPS);
    assertEquals(0.75, extra.at("/lesionwise/precision_micro").asDouble(), EPS);
    assertEquals(0.75, extra.at("/lesionwise/recall_micro").asDouble(), EPS);
    assertEquals(0.75, extra.at("/lesionwise/f1_micro").asDouble(), EPS);
    assertEquals(0.6, extra.at("/lesionwise/f1_mean").asDouble(), EPS);
    assertEquals(0.2, extra.get("mean_fp_cc").asDouble(), EPS);
    // c5 at 0.6 is perfect: every boundary distance 0; c1, c4 have finite ones; c2, c3 have none.
    assertEquals(3, extra.at("/boundary_distance_mm/n_cases").asInt());

    assertEquals(0.35, summary.at("/by_slice_spacing/thin/mean_dice").asDouble(), EPS);
    assertEquals(4, summary.at("/by_slice_spacing/thin/n_cases").asInt());
    assertEquals(0.6, summary.at("/by_slice_spacing/thick/mean_dice").asDouble(), EPS);
    assertEquals(0.5, summary.at("/by_lesion_size/small/mean_dice").asDouble(), EPS);
    assertEquals(0.0, summary.at("/by_lesion_size/empty/mean_dice").asDouble(), EPS);
    assertEquals(0.4, summary.at("/isles22/dice/mean").asDouble(), EPS);
    assertEquals(List.of("c3"), List.of(summary.at("/missing_predictions/0").asText()));
    assertEquals(0, summary.get("failed_cases").size());
  }

  /**
   * Every voxel counts without a DWI. Pooled over the four predicted cases (432 voxels), the
   * nonempty bins add |lesion fraction - mean probability| x voxels: c1 0.2 x3 lesion 2.4, 0.8 x1
   * lesion 0.2; c2 0.7 x1 0.7; c4 1.0 x7 with 3 lesion 4; c5 0.9 x1 lesion 0.1, 0.5 x3 1.5; zeros 0.
   */
  @Test
  void calibrationMatchesHandComputation() {
    JsonNode calibration = Json.read(direct.resolve("summary.json"), JsonNode.class).get("calibration");
    assertEquals(8.9 / 432, calibration.at("/pooled/ece").asDouble(), 1e-7);
    assertEquals(4, calibration.at("/pooled/n_cases").asInt());
    assertEquals(432, calibration.at("/pooled/n_voxels").asLong());
    assertEquals(15, calibration.at("/pooled/reliability").size());
    assertEquals(4.0 / 108, calibration.at("/ece_per_case/c4").asDouble(), 1e-7);
    assertFalse(calibration.get("ece_per_case").has("c3"), "c3 has no prediction");
    assertTrue(Files.isRegularFile(direct.resolve("reliability.png")));
  }

  @Test
  void historyGetsOneRowPerEvaluation(@TempDir Path work) throws Exception {
    Path history = work.resolve("history.csv");
    for (String name : List.of("first", "second")) {
      assertEquals(0, IslesCli.execute("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(), "--out-dir",
          work.resolve(name).toString(), "--thresholds", CraftedCases.THRESHOLDS, "--history", history.toString()));
    }
    org.isles.io.CsvTable table = org.isles.io.CsvTable.read(history);
    assertEquals(org.isles.evaluation.EvaluationHistory.COLUMNS, table.header());
    assertEquals(2, table.rows().size());
    List<String> first = table.rows().get(0);
    List<String> second = table.rows().get(1);
    assertEquals("first", first.get(table.column("run_name")));
    assertEquals(work.resolve("second").toString(), second.get(table.column("eval_dir")));
    assertEquals("unknown", first.get(table.column("model_fingerprints")), "no prediction.json beside the maps");
    assertEquals(16, first.get(table.column("dataset_fingerprint")).length());
    assertEquals(first.get(table.column("dataset_fingerprint")), second.get(table.column("dataset_fingerprint")));
    assertEquals(0.4, Double.parseDouble(first.get(table.column("mean_dice"))), 1e-12);
    assertEquals(0.6, Double.parseDouble(first.get(table.column("threshold"))));
    assertEquals(8.9 / 432, Double.parseDouble(first.get(table.column("ece"))), 1e-7);
  }

  @Test
  void minimumComponentSizeDropsSingleVoxelPredictions() {
    // c1's and c2's one-voxel predictions go at both thresholds, c5's at 0.6: 0.4 at 0.3, 1.6 / 5 at 0.6.
    JsonNode summary = evaluate("post-min-size", "--min-size", "2");
    assertEquals(0.3, summary.get("best_threshold_by_mean_dice").asDouble());
    assertEquals(0.4, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(0.32, summary.at("/per_threshold/1/mean_dice").asDouble(), EPS);
    assertEquals(0.0, summary.at("/per_threshold/0/false_alarm_rate_case").asDouble(), EPS);
    assertEquals(2, summary.at("/rules/post_processing/min_size_voxels").asInt());
  }

  @Test
  void componentScoreKeepsOnlyConfidentComponents() {
    // Maximum probability >= 0.85 keeps c4 (1.0) and c5 (0.9) and drops c1 (0.8) and c2 (0.7).
    JsonNode summary = evaluate("post-cc-score", "--cc-score", "max_prob", "--cc-score-thr", "0.85");
    assertEquals(0.6, summary.get("best_threshold_by_mean_dice").asDouble());
    assertEquals(2.6 / 5, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(0.4, summary.at("/per_threshold/0/mean_dice").asDouble(), EPS);
    assertEquals("max_prob", summary.at("/rules/post_processing/cc_score").asText());
    assertEquals(0.85, summary.at("/rules/post_processing/cc_score_threshold").asDouble());
  }

  private static JsonNode evaluate(String name, String... postProcessing) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", out.toString(), "--thresholds", CraftedCases.THRESHOLDS));
    args.addAll(List.of(postProcessing));
    assertEquals(0, IslesCli.execute(args.toArray(String[]::new)));
    return Json.read(out.resolve("summary.json"), JsonNode.class);
  }

  @Test
  void writesPerCaseFiles() throws Exception {
    JsonNode metrics = Json.read(direct.resolve("metrics.json"), JsonNode.class);
    assertEquals(5, metrics.size());
    assertTrue(metrics.get(2).get("prediction_missing").asBoolean(), "c3 was scored as an empty prediction");
    assertEquals(1.0, metrics.get(4).at("/per_threshold/1/dice").asDouble(), EPS);
    assertEquals(0.4, metrics.get(4).at("/per_threshold/0/dice").asDouble(), EPS);
    List<String> csv = Files.readAllLines(direct.resolve("cases.csv"));
    assertEquals(6, csv.size());
    assertTrue(csv.get(0).startsWith("case_id,threshold,dice,"));
    assertTrue(csv.get(4).startsWith("c4,0.6,0.6,"), csv.get(4));
    assertEquals(5, EvaluationFiles.readCases(direct).size());
    assertEquals(0, Json.read(direct.resolve("failures.json"), JsonNode.class).size());
  }

  @Test
  void flinkWritesTheSameSummaryAsDirect() throws Exception {
    Path flink = dir.resolve("flink");
    int exit = IslesCli.execute("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", flink.toString(), "--thresholds", CraftedCases.THRESHOLDS, "--runner", "FlinkRunner", "--parallelism", "2");
    assertEquals(0, exit);
    assertArrayEquals(Files.readAllBytes(direct.resolve("summary.json")), Files.readAllBytes(flink.resolve("summary.json")));
    assertArrayEquals(Files.readAllBytes(direct.resolve("metrics.json")), Files.readAllBytes(flink.resolve("metrics.json")));
  }

  @Test
  void badPredictionsScoreAsEmptyAndNameTheFiles(@TempDir Path bad) throws Exception {
    Path badGt = Files.createDirectories(bad.resolve("gt"));
    Path badProbs = Files.createDirectories(bad.resolve("probs"));
    Volume truth = Volume.zeros(CraftedCases.THIN);
    CraftedCases.set(truth, 1, 1, 1, 1);
    Volume good = Volume.zeros(CraftedCases.THIN);
    CraftedCases.set(good, 0.9f, 1, 1, 1);
    CraftedCases.writePair(badGt, badProbs, "good", truth, good);
    Grid other = Grid.axisAligned(6, 6, 4, 1, 1, 1);
    Nifti.write(badGt.resolve("shifted.nii.gz"), truth, NiftiDatatype.UINT8);
    Nifti.write(badProbs.resolve("shifted.nii.gz"), Volume.zeros(other), NiftiDatatype.FLOAT32);
    Volume notProbability = Volume.zeros(CraftedCases.THIN);
    CraftedCases.set(notProbability, Float.NaN, 2, 3, 1);
    CraftedCases.writePair(badGt, badProbs, "nan", truth, notProbability);
    Nifti.write(badGt.resolve("=missing.nii.gz"), truth, NiftiDatatype.UINT8);
    Path out = bad.resolve("eval");

    int exit = IslesCli.execute("evaluate", "--probs-dir", badProbs.toString(), "--gt", badGt.toString(),
        "--out-dir", out.toString(), "--thresholds", "0.5");

    assertEquals(1, exit, "a broken prediction is a failure of its case's input");
    JsonNode failures = Json.read(out.resolve("failures.json"), JsonNode.class);
    assertEquals(2, failures.size());
    JsonNode nan = failures.get(0);
    assertEquals("nan", nan.get("case_id").asText());
    assertTrue(nan.get("cause").asText().contains("NaN at voxel (2, 3, 1)"), nan.toString());
    JsonNode shifted = failures.get(1);
    assertEquals(badProbs.resolve("shifted.nii.gz").toString(), shifted.get("file").asText());
    String cause = shifted.get("cause").asText();
    assertTrue(cause.contains(badGt.resolve("shifted.nii.gz").toString()), cause);
    assertTrue(cause.contains("prediction shape [6, 6, 4]") && cause.contains("ground truth shape [6, 6, 3]"), cause);
    JsonNode summary = Json.read(out.resolve("summary.json"), JsonNode.class);
    // Left out, the two broken cases and the missing one would leave the perfect case alone: 1.0.
    assertEquals(4, summary.get("n_cases").asInt());
    assertEquals(0.25, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(1, summary.get("n_predictions_missing").asInt());
    assertEquals("=missing", summary.at("/missing_predictions/0").asText());
    assertEquals(2, summary.get("n_predictions_broken").asInt());
    assertEquals("nan", summary.at("/broken_predictions/0/case_id").asText());
    assertEquals(nan.get("cause"), summary.at("/broken_predictions/0/cause"));
    assertEquals(badProbs.resolve("shifted.nii.gz").toString(), summary.at("/broken_predictions/1/file").asText());
    assertEquals(0, summary.get("failed_cases").size());
    List<String> csv = Files.readAllLines(out.resolve("cases.csv"));
    assertTrue(csv.get(1).startsWith("'=missing,0.5,0.0,"), "formula-like case ids are escaped: " + csv.get(1));
    assertFalse(Files.list(out).anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");

    Path refused = bad.resolve("refused");
    int refusedExit = IslesCli.execute("evaluate", "--probs-dir", badProbs.toString(), "--gt", badGt.toString(),
        "--out-dir", refused.toString(), "--thresholds", "0.5", "--broken-predictions", "refuse");
    assertEquals(1, refusedExit);
    JsonNode noMean = Json.read(refused.resolve("summary.json"), JsonNode.class);
    assertFalse(noMean.has("mean_dice"));
    assertEquals("1 predictions missing and 2 broken; no mean is reported (broken_predictions: refuse)",
        noMean.get("mean_refused").asText());
    assertEquals("refuse", noMean.at("/rules/broken_predictions").asText());
  }
}
