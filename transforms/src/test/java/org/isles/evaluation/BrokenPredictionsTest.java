package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.postprocess.ComponentScore;
import org.isles.schemas.CaseEvaluation;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's reproduction: 20 cases with a one-voxel lesion each; 8 predicted exactly (Dice 1),
 * 3 predicted beside the lesion (Dice 0), and 9 whose prediction is broken in a different way.
 * Leaving the broken ones out gave mean Dice 8 / 11 = 0.727; scored as empty predictions, as a
 * missing one is, they give 8 / 20 = 0.4.
 */
class BrokenPredictionsTest {
  private static final Grid GRID = Grid.axisAligned(6, 6, 3, 1, 1, 1);
  private static final double[] THRESHOLDS = {0.3, 0.5};
  private static final double EPS = 1e-12;

  @TempDir static Path dir;
  /** Case id to a text its prediction's cause must contain. */
  private static final Map<String, String> BROKEN = new LinkedHashMap<>();
  private static final List<CasePair> PAIRS = new ArrayList<>();

  @BeforeAll
  static void writeCases() throws Exception {
    for (int n = 0; n < 8; n++) {
      PAIRS.add(pair("good" + n, probabilities(0.9f, 2, 2, 1)));
    }
    for (int n = 0; n < 3; n++) {
      PAIRS.add(pair("wrong" + n, probabilities(0.9f, 4, 4, 2)));
    }
    broken("nan", write("nan", probabilities(Float.NaN, 1, 2, 0)), "NaN at voxel (1, 2, 0)");
    broken("infinite", write("infinite", probabilities(Float.POSITIVE_INFINITY, 2, 2, 1)), "Infinity at voxel (2, 2, 1)");
    broken("above_one", write("above_one", probabilities(1.5f, 2, 2, 1)), "1.5 at voxel (2, 2, 1) is not in [0, 1]");
    broken("negative", write("negative", probabilities(-0.2f, 2, 2, 1)), "-0.2 at voxel (2, 2, 1) is not in [0, 1]");
    Path shape = dir.resolve("shape.nii.gz");
    Nifti.write(shape, Volume.zeros(Grid.axisAligned(6, 6, 4, 1, 1, 1)), NiftiDatatype.FLOAT32);
    broken("shape", shape, "prediction shape [6, 6, 4]");
    Path shifted = dir.resolve("shifted.nii.gz");
    Volume moved = Volume.zeros(new Grid(6, 6, 3, new double[] {1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
    moved.data()[GRID.index(2, 2, 1)] = 0.9f;
    Nifti.write(shifted, moved, NiftiDatatype.FLOAT32);
    broken("shifted", shifted, "is not on the grid of its ground truth");
    Path whole = write("truncated_source", probabilities(0.9f, 2, 2, 1));
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = Files.write(dir.resolve("truncated.nii.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    broken("truncated", truncated, "truncated.nii.gz");
    broken("garbage", Files.writeString(dir.resolve("garbage.nii"), "not a NIfTI file at all".repeat(30)), "garbage.nii");
    broken("empty_file", Files.write(dir.resolve("empty_file.nii.gz"), new byte[0]), "empty_file.nii.gz");
  }

  @Test
  void brokenPredictionsScoreAsEmptyInsteadOfLeavingTheMean() {
    List<CaseEvaluation> records = PAIRS.stream().map(new CaseScorer(rules(BrokenPredictionRule.EMPTY))::score).toList();
    JsonNode summary = summarize(records, BrokenPredictionRule.EMPTY);

    assertEquals(0.4, summary.get("mean_dice").asDouble(), EPS, "8 of 20 cases right");
    assertEquals(20, summary.get("n_cases").asInt());
    assertEquals(9, summary.get("n_predictions_broken").asInt());
    assertEquals(0, summary.get("n_predictions_missing").asInt());
    JsonNode listed = summary.get("broken_predictions");
    assertEquals(BROKEN.size(), listed.size());
    for (JsonNode entry : listed) {
      String id = entry.get("case_id").asText();
      assertTrue(entry.get("cause").asText().contains(BROKEN.get(id)), id + ": " + entry);
      assertTrue(entry.get("file").asText().startsWith(dir.toString()), entry.toString());
    }
    assertEquals("empty", summary.at("/rules/broken_predictions").asText());
    assertEquals(BrokenPredictionRule.EMPTY.rule(), summary.at("/rules/broken_prediction_rule").asText());

    // The old rule, the broken cases left out, is what the summary must not do: 8 of 11.
    List<CaseEvaluation> usable = records.stream().filter(r -> r.getPredictionError() == null).toList();
    assertEquals(11, usable.size());
    assertEquals(8.0 / 11, summarize(usable, BrokenPredictionRule.EMPTY).get("mean_dice").asDouble(), EPS);
  }

  @Test
  void aBrokenPredictionScoresExactlyAsAMissingOne() {
    CaseScorer scorer = new CaseScorer(rules(BrokenPredictionRule.EMPTY));
    for (CasePair pair : PAIRS) {
      if (BROKEN.containsKey(pair.caseId())) {
        CaseEvaluation broken = scorer.score(pair);
        CaseEvaluation missing = scorer.score(new CasePair(pair.caseId(), pair.groundTruthPath(), null));
        assertEquals(missing.getThresholds(), broken.getThresholds(), pair.caseId());
        assertEquals(pair.predictionPath(), broken.getPredictionPath());
        assertNull(missing.getPredictionError());
      }
    }
  }

  @Test
  void refuseReportsNoMeanWhilePredictionsAreBrokenOrMissing() {
    List<CaseEvaluation> records = PAIRS.stream().map(new CaseScorer(rules(BrokenPredictionRule.REFUSE))::score).toList();
    JsonNode summary = summarize(records, BrokenPredictionRule.REFUSE);
    assertFalse(summary.has("mean_dice"));
    assertFalse(summary.has("per_threshold"));
    assertEquals("0 predictions missing and 9 broken; no mean is reported (broken_predictions: refuse)",
        summary.get("mean_refused").asText());
    assertEquals(9, summary.get("broken_predictions").size());
    assertEquals("refuse", summary.at("/rules/broken_predictions").asText());

    List<CaseEvaluation> usable = records.stream().filter(r -> r.getPredictionError() == null).toList();
    assertEquals(8.0 / 11, summarize(usable, BrokenPredictionRule.REFUSE).get("mean_dice").asDouble(), EPS,
        "nothing missing or broken: the mean is reported");
    JsonNode oneMissing = Json.MAPPER.valueToTree(
        new EvaluationSummary(usable, rules(BrokenPredictionRule.REFUSE)).toJson(List.of("gone"), List.of()));
    assertTrue(oneMissing.get("mean_refused").asText().startsWith("1 predictions missing and 0 broken"), oneMissing.toString());
  }

  @Test
  void rulesReadBackWithTheirBrokenPredictionRule() throws Exception {
    EvaluationRules refuse = rules(BrokenPredictionRule.REFUSE);
    JsonNode json = Json.MAPPER.valueToTree(refuse.toJson());
    assertEquals(BrokenPredictionRule.REFUSE, EvaluationRules.fromJson(Json.MAPPER.treeToValue(json, Summary.Rules.class)).brokenPredictions());
    ((com.fasterxml.jackson.databind.node.ObjectNode) json).remove("broken_predictions");
    assertEquals(BrokenPredictionRule.EMPTY, EvaluationRules.fromJson(Json.MAPPER.treeToValue(json, Summary.Rules.class)).brokenPredictions(), "summaries from before the rule");
  }

  private static JsonNode summarize(List<CaseEvaluation> records, BrokenPredictionRule rule) {
    return Json.MAPPER.valueToTree(new EvaluationSummary(records, rules(rule)).toJson(List.of(), List.of()));
  }

  private static EvaluationRules rules(BrokenPredictionRule rule) {
    return new EvaluationRules(false, THRESHOLDS, 0, 0, ComponentScore.NONE, 0, new double[] {1, 10}, 3.0, rule);
  }

  private static Volume probabilities(float value, int i, int j, int k) {
    Volume volume = Volume.zeros(GRID);
    volume.data()[GRID.index(i, j, k)] = value;
    return volume;
  }

  private static Path write(String id, Volume probabilities) {
    Path file = dir.resolve(id + ".nii.gz");
    Nifti.write(file, probabilities, NiftiDatatype.FLOAT32);
    return file;
  }

  private static CasePair pair(String id, Volume probabilities) {
    return pair(id, write(id, probabilities));
  }

  private static CasePair pair(String id, Path prediction) {
    Volume truth = Volume.zeros(GRID);
    truth.data()[GRID.index(2, 2, 1)] = 1;
    Path gt = dir.resolve("gt_" + id + ".nii.gz");
    Nifti.write(gt, truth, NiftiDatatype.UINT8);
    return new CasePair(id, gt.toString(), prediction.toString());
  }

  private static void broken(String id, Path prediction, String cause) {
    BROKEN.put(id, cause);
    PAIRS.add(pair(id, prediction));
  }
}
