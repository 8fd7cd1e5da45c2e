package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.evaluation.ComparisonFiles;
import org.isles.io.Json;
import org.isles.pipelines.RunLayout;
import org.isles.stats.WilcoxonSignedRank;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isles compare} on two evaluations that share 11 of their cases: X is worse than A on 9,
 * equal on one and better on one.
 */
class CompareCommandTest {
  @TempDir static Path dir;
  static Path a;
  static Path x;

  @BeforeAll
  static void writeEvaluations() throws Exception {
    Map<String, Integer> tpA = new LinkedHashMap<>();
    Map<String, Integer> tpX = new LinkedHashMap<>();
    for (int c = 1; c <= 11; c++) {
      String id = String.format("c%02d", c);
      tpA.put(id, 8);
      tpX.put(id, c <= 9 ? 7 : c == 10 ? 8 : 9);
    }
    tpA.put("c12", 8);
    tpA.put("only_a", 5);
    tpX.put("only_x", 5);
    a = EvaluationFolders.write(dir.resolve("a"), tpA);
    x = EvaluationFolders.write(dir.resolve("x"), tpX);
  }

  @Test
  void pairsTheCommonCasesAndListsTheOthers() {
    Path out = dir.resolve("cmp");
    assertEquals(0, IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--bootstrap", "2000"));
    JsonNode json = Json.read(out.resolve(ComparisonFiles.JSON), JsonNode.class);
    assertEquals(11, json.get("n_cases_paired").asInt());
    assertEquals(List.of("c12", "only_a", "only_x"), Json.MAPPER.convertValue(json.get("cases_not_in_all_runs"), List.class));
    JsonNode dice = json.at("/comparisons/0");
    assertEquals("dice", dice.get("metric").asText());
    double d7 = EvaluationFolders.dice(7);
    double d8 = EvaluationFolders.dice(8);
    double d9 = EvaluationFolders.dice(9);
    assertEquals(d8, dice.get("mean_a").asDouble(), 1e-12);
    assertEquals((9 * d7 + d8 + d9) / 11, dice.get("mean_x").asDouble(), 1e-12);
    assertEquals((9 * (d7 - d8) + (d9 - d8)) / 11, dice.get("mean_difference").asDouble(), 1e-12);
    assertEquals(1, dice.get("wins").asInt());
    assertEquals(1, dice.get("ties").asInt());
    assertEquals(9, dice.get("losses").asInt());
    assertTrue(dice.get("ci95_high").asDouble() < 0, "CI " + dice);
    double[] xs = new double[11];
    double[] as = new double[11];
    for (int i = 0; i < 11; i++) {
      as[i] = d8;
      xs[i] = i < 9 ? d7 : i == 9 ? d8 : d9;
    }
    assertEquals(WilcoxonSignedRank.test(xs, as).pValue(), dice.get("p_value").asDouble(), 1e-15);
    // hd95 is lower-better: X's larger distances are losses.
    JsonNode hd95 = json.at("/comparisons/4");
    assertEquals("hd95", hd95.get("metric").asText());
    assertEquals(9, hd95.get("losses").asInt());
    assertTrue(json.get("multiple_comparisons").isNull());
    for (String metric : List.of("dice", "lesion_f1", "avd_ml", "ald", "hd95")) {
      assertTrue(Files.isRegularFile(out.resolve("paired_" + metric + ".png")), metric);
    }
    assertTrue(Files.isRegularFile(out.resolve(ComparisonFiles.MARKDOWN)));
  }

  @Test
  void gateExitsWithThreeWhenWorseBeyondTheMargin() {
    Path out = dir.resolve("gate");
    assertEquals(CompareCommand.REGRESSION,
        IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--fail-if-worse", "dice:0.01"));
    // Worse by 0.048 on average: within a margin of 0.1.
    assertEquals(0, IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--fail-if-worse", "dice:0.1"));
    // X against itself is never worse.
    assertEquals(0, IslesCli.execute("compare", x.toString(), x.toString(), "--out", out.toString(), "--fail-if-worse", "dice:0"));
    assertEquals(CompareCommand.REGRESSION,
        IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--fail-if-worse", "dice:0.1,hd95:0.5"));
  }

  @Test
  void threeRunsGetHolmAdjustedPValuesAndANote() {
    Path out = dir.resolve("three");
    assertEquals(0, IslesCli.execute("compare", a.toString(), x.toString(), a.toString(), "--out", out.toString(), "--metrics", "dice"));
    JsonNode json = Json.read(out.resolve(ComparisonFiles.JSON), JsonNode.class);
    assertTrue(json.get("multiple_comparisons").asText().contains("Holm"));
    assertEquals(2, json.get("comparisons").size());
    double p = json.at("/comparisons/0/p_value").asDouble();
    assertEquals(Math.min(1, 2 * p), json.at("/comparisons/0/p_value_holm").asDouble(), 1e-15);
  }

  @Test
  void validationThresholdNeedsTheSelectedBlock() throws Exception {
    Path out = dir.resolve("validation");
    assertEquals(2, IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--threshold", "validation"));
    assertEquals(2, IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--threshold", "0.3"));
    for (Path eval : List.of(a, x)) {
      Path summary = RunLayout.evalSummary(eval);
      Map<String, Object> json = Json.read(summary, LinkedHashMap.class);
      json.put("selected_on_validation", Map.of("threshold", EvaluationFolders.THRESHOLD,
          "post_processing", json.get("rules") instanceof Map<?, ?> rules ? rules.get("post_processing") : null));
      Json.write(summary, json);
    }
    assertEquals(0, IslesCli.execute("compare", a.toString(), x.toString(), "--out", out.toString(), "--threshold", "validation"));
  }
}
