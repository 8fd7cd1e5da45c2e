package org.isles.evaluation;

import java.util.List;
import org.isles.metrics.CaseMetrics;
import org.isles.schemas.CaseEvaluation;

/** One CSV row per case at one threshold: the per-case tables of evaluate and analyze. */
public final class CaseTable {
  public static final List<String> COLUMNS =
      List.of(
          "case_id", "threshold", "dice", "lesion_f1", "gt_volume_ml", "pred_volume_ml", "volume_diff_ml",
          "gt_lesions", "pred_lesions", "lesion_tp", "lesion_fp", "lesion_fn", "voxel_tp", "voxel_fp", "voxel_fn",
          "hd_mm", "hd95_mm", "assd_mm", "slice_thickness_mm", "slice_bucket", "size_bucket", "prediction_missing",
          "prediction_error");

  private CaseTable() {}

  /** The case's row at threshold number {@code t}, in {@link #COLUMNS} order. */
  public static List<Object> row(CaseEvaluation evaluation, int t, EvaluationRules rules) {
    CaseMetrics m = EvaluationRecords.metricsAt(evaluation, t);
    return List.of(
        evaluation.getCaseId(), m.threshold(), m.dice(), m.lesionF1(), m.groundTruthVolumeMl(), m.predictedVolumeMl(),
        m.volumeDifferenceMl(), m.groundTruthLesions(), m.predictedLesions(), m.lesions().truePositives(),
        m.lesions().falsePositives(), m.lesions().falseNegatives(), m.voxels().truePositives(),
        m.voxels().falsePositives(), m.voxels().falseNegatives(), m.boundary().hausdorffMm(),
        m.boundary().hausdorff95Mm(), m.boundary().assdMm(), evaluation.getSliceThicknessMm(),
        rules.sliceBucket(evaluation.getSliceThicknessMm()),
        rules.sizeBucket(evaluation.getGtVoxels(), evaluation.getGtVolumeMl()),
        evaluation.getPredictionPath() == null,
        evaluation.getPredictionError() == null ? "" : evaluation.getPredictionError());
  }
}
