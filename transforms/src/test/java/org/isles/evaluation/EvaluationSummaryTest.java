package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.isles.io.Json;
import org.isles.metrics.BoundaryDistances;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.ConfusionCounts;
import org.isles.postprocess.ComponentScore;
import org.isles.schemas.CaseEvaluation;
import org.junit.jupiter.api.Test;

/**
 * Four hand-made cases at thresholds 0.3 and 0.5 (voxels of 0.01 mL):
 *
 * <pre>
 *        slice  GT vox (mL)  lesions | t=0.3 TP/FP/FN  Dice   | t=0.5 TP/FP/FN  Dice
 *   a    1 mm   200 (2)      2       | 150/100/50      2/3    | 120/20/80       12/17
 *   b    5 mm   2000 (20)    1       | 1800/200/200    0.9    | 1000/0/1000     2/3
 *   c    1 mm   0            0       | 0/10/0          0      | 0/0/0           1
 *   d    3 mm   50 (0.5)     1       | 0/0/50          0      | 0/0/50          0
 * </pre>
 *
 * Mean Dice with c: 0.3917 at 0.3, (12/17 + 2/3 + 1) / 4 = 0.5931 at 0.5, so 0.5 is best. Without
 * c: 0.5222 at 0.3, 0.4575 at 0.5, so 0.3 is best.
 */
class EvaluationSummaryTest {
  private static final double[] THRESHOLDS = {0.3, 0.5};
  private static final double VOXEL_ML = 0.01;
  private static final double EPS = 1e-12;

  private static final List<CaseEvaluation> CASES =
      List.of(
          evaluation("b", 5.0, 1,
              metrics(0.3, 1800, 200, 200, 1, 1, 0, 0, new BoundaryDistances(6, 3, 1)),
              metrics(0.5, 1000, 0, 1000, 1, 1, 0, 0, new BoundaryDistances(12, 9, 3))),
          evaluation("a", 1.0, 2,
              metrics(0.3, 150, 100, 50, 3, 2, 1, 0, new BoundaryDistances(10, 5, 2)),
              metrics(0.5, 120, 20, 80, 1, 1, 0, 1, new BoundaryDistances(8, 4, 1))),
          evaluation("d", 3.0, 1,
              metrics(0.3, 0, 0, 50, 0, 0, 0, 1, BoundaryDistances.UNDEFINED),
              metrics(0.5, 0, 0, 50, 0, 0, 0, 1, BoundaryDistances.UNDEFINED)),
          evaluation("c", 1.0, 0,
              metrics(0.3, 0, 10, 0, 1, 0, 1, 0, BoundaryDistances.UNDEFINED),
              metrics(0.5, 0, 0, 0, 0, 0, 0, 0, BoundaryDistances.UNDEFINED)));

  @Test
  void emptyGroundTruthIncludedByDefault() {
    JsonNode summary = summarize(rules(false), List.of("d"), List.of("z"));
    assertEquals(0.5, summary.get("best_threshold_by_mean_dice").asDouble());
    assertEquals((12.0 / 17 + 2.0 / 3 + 1) / 4, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(4, summary.get("n_cases").asInt());
    assertEquals(1, summary.get("n_cases_empty_gt").asInt());

    JsonNode low = summary.get("per_threshold").get(0);
    assertEquals(0.3, low.get("threshold").asDouble());
    assertEquals((2.0 / 3 + 0.9) / 4, low.get("mean_dice").asDouble(), EPS);
    assertEquals(1950.0 / 2260, low.get("voxel_precision").asDouble(), EPS);
    assertEquals(1950.0 / 2250, low.get("voxel_recall").asDouble(), EPS);
    assertEquals(2.0 / 3, low.get("detection_rate_case").asDouble(), EPS);
    assertEquals(1.0, low.get("false_alarm_rate_case").asDouble(), EPS);
    assertEquals(4, low.get("n_cases").asInt());
    JsonNode high = summary.get("per_threshold").get(1);
    assertEquals(0.0, high.get("false_alarm_rate_case").asDouble(), EPS);
    assertEquals(2.0 / 3, high.get("detection_rate_case").asDouble(), EPS);

    JsonNode extra = summary.get("extra_metrics_best");
    assertEquals(-11.1 / 4, extra.at("/volume_diff_ml/mean").asDouble(), 1e-9);
    assertEquals(11.1 / 4, extra.at("/volume_diff_ml/mean_abs").asDouble(), 1e-9);
    assertEquals(-0.5, extra.at("/lesion_count_diff/mean").asDouble(), EPS);
    assertEquals(0.5, extra.at("/lesion_count_diff/mean_abs").asDouble(), EPS);
    assertEquals(1.0, extra.at("/lesionwise/precision_micro").asDouble(), EPS);
    assertEquals(0.5, extra.at("/lesionwise/recall_micro").asDouble(), EPS);
    assertEquals(2.0 / 3, extra.at("/lesionwise/f1_micro").asDouble(), EPS);
    assertEquals((2.0 / 3 + 1 + 1 + 0) / 4, extra.at("/lesionwise/f1_mean").asDouble(), EPS);
    assertEquals(2.0, extra.at("/boundary_distance_mm/assd").asDouble(), EPS);
    assertEquals(10.0, extra.at("/boundary_distance_mm/hd").asDouble(), EPS);
    assertEquals(6.5, extra.at("/boundary_distance_mm/hd95").asDouble(), EPS);
    assertEquals(2, extra.at("/boundary_distance_mm/n_cases_undefined").asInt());
    assertEquals(0.0, extra.get("mean_fp_cc").asDouble(), EPS);

    JsonNode isles = summary.get("isles22");
    assertEquals(0.5, isles.get("threshold").asDouble());
    assertEquals(0.5931372549019608, isles.at("/dice/mean").asDouble(), 1e-12);
    assertEquals(0.4224796358120636, isles.at("/dice/std").asDouble(), 1e-12);
    assertEquals(11.1 / 4, isles.at("/absolute_volume_difference_ml/mean").asDouble(), 1e-9);
    assertEquals(4.823812461805151, isles.at("/absolute_volume_difference_ml/std").asDouble(), 1e-9);
    assertEquals(0.5, isles.at("/absolute_lesion_count_difference/mean").asDouble(), EPS);
    assertEquals(0.5773502691896257, isles.at("/absolute_lesion_count_difference/std").asDouble(), 1e-12);
    assertEquals(2.0 / 3, isles.at("/lesion_f1/mean").asDouble(), EPS);
    assertEquals(0.4714045207910317, isles.at("/lesion_f1/std").asDouble(), 1e-12);

    // a, c thin (1 mm); b (5 mm) and d (exactly 3 mm) thick.
    assertBucket(summary.at("/by_slice_spacing/thin"), 2, (12.0 / 17 + 1) / 2, (2.0 / 3 + 1) / 2);
    assertBucket(summary.at("/by_slice_spacing/thick"), 2, (2.0 / 3 + 0) / 2, 0.5);
    assertBucket(summary.at("/by_lesion_size/empty"), 1, 1.0, 1.0);
    assertBucket(summary.at("/by_lesion_size/small"), 1, 0.0, 0.0);
    assertBucket(summary.at("/by_lesion_size/medium"), 1, 12.0 / 17, 2.0 / 3);
    assertBucket(summary.at("/by_lesion_size/large"), 1, 2.0 / 3, 1.0);

    assertEquals("d", summary.at("/missing_predictions/0").asText());
    assertEquals("z", summary.at("/failed_cases/0").asText());
    assertEquals("included", summary.at("/rules/empty_gt").asText());
    assertEquals(26, summary.at("/rules/connectivity").asInt());
    assertEquals(3.0, summary.at("/rules/slice_spacing_thr_mm").asDouble());
    assertEquals(10.0, summary.at("/rules/size_buckets_ml/1").asDouble());
    assertEquals("p95_prob", summary.at("/rules/post_processing/cc_score").asText());
    assertEquals(0.4, summary.at("/rules/post_processing/cc_score_threshold").asDouble());
  }

  @Test
  void excludingEmptyGroundTruthChangesTheBestThresholdButNotTheFalseAlarmRate() {
    JsonNode summary = summarize(rules(true), List.of(), List.of());
    assertEquals(0.3, summary.get("best_threshold_by_mean_dice").asDouble());
    assertEquals((2.0 / 3 + 0.9) / 3, summary.get("mean_dice").asDouble(), EPS);
    assertEquals(3, summary.get("n_cases").asInt());
    assertEquals(1.0, summary.at("/per_threshold/0/false_alarm_rate_case").asDouble(), EPS);
    assertEquals(3, summary.at("/per_threshold/0/n_cases").asInt());
    assertEquals(1800.0 + 150, summary.at("/per_threshold/0/voxel_precision").asDouble() * 2250, 1e-9);
    assertFalse(summary.get("by_lesion_size").has("empty"));
    assertEquals("excluded", summary.at("/rules/empty_gt").asText());
    // The challenge's own aggregate keeps every case.
    assertEquals(4, summary.at("/isles22/n_cases").asInt());
    assertEquals(0.39166666666666666, summary.at("/isles22/dice/mean").asDouble(), 1e-12);
    assertEquals(0.46218082079540157, summary.at("/isles22/dice/std").asDouble(), 1e-12);
  }

  @Test
  void undefinedNumbersAreWrittenAsNull() {
    // Only the empty case, at a threshold where it predicts nothing: no voxel predicted, no lesion to detect.
    JsonNode summary = Json.MAPPER.valueToTree(
        new EvaluationSummary(List.of(CASES.get(3)), rules(false)).toJson(List.of(), List.of()));
    assertEquals(0.5, summary.get("best_threshold_by_mean_dice").asDouble());
    assertTrue(summary.at("/per_threshold/1/voxel_precision").isNull());
    assertTrue(summary.at("/per_threshold/1/detection_rate_case").isNull());
    assertTrue(summary.at("/extra_metrics_best/boundary_distance_mm/hd").isNull());
    assertTrue(summary.at("/isles22/dice/std").isNull());
  }

  @Test
  void thresholdsOtherThanTheRulesAreRefused() {
    EvaluationRules other = new EvaluationRules(false, new double[] {0.3, 0.6}, 0, 0, ComponentScore.NONE, 0,
        new double[] {1, 10}, 3.0);
    IllegalArgumentException error =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new EvaluationSummary(CASES, other));
    assertTrue(error.getMessage().contains("case a"), error.getMessage());
  }

  private static void assertBucket(JsonNode bucket, int cases, double meanDice, double meanF1) {
    assertEquals(cases, bucket.get("n_cases").asInt(), bucket.toString());
    assertEquals(meanDice, bucket.get("mean_dice").asDouble(), EPS, bucket.toString());
    assertEquals(meanF1, bucket.get("lesionwise_f1_mean").asDouble(), EPS, bucket.toString());
  }

  private static JsonNode summarize(EvaluationRules rules, List<String> missing, List<String> failed) {
    Summary json = new EvaluationSummary(CASES, rules).toJson(missing, failed);
    return Json.MAPPER.valueToTree(json);
  }

  private static EvaluationRules rules(boolean excludeEmptyGt) {
    return new EvaluationRules(excludeEmptyGt, THRESHOLDS, 0, 0, ComponentScore.P95, 0.4, new double[] {1, 10}, 3.0);
  }

  private static CaseMetrics metrics(double threshold, long tp, long fp, long fn, int predLesions, int lesionTp,
      int lesionFp, int lesionFn, BoundaryDistances distances) {
    return new CaseMetrics(threshold, VOXEL_ML, new ConfusionCounts(tp, fp, fn), lesionTp + lesionFn, predLesions,
        new ConfusionCounts(lesionTp, lesionFp, lesionFn), distances);
  }

  private static CaseEvaluation evaluation(String id, double sliceMm, int gtLesions, CaseMetrics... metrics) {
    assertEquals(gtLesions, metrics[0].groundTruthLesions());
    return EvaluationRecords.toRecord(id, id + "_gt.nii.gz", id + ".nii.gz", sliceMm, List.of(metrics));
  }
}
