package org.isles.evaluation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.io.AtomicFiles;
import org.isles.metrics.CaseMetrics;
import org.isles.schemas.CaseEvaluation;

/** One CSV row per case at one threshold: the per-case tables of evaluate and analyze. */
public final class CaseTable {
  public static final List<String> COLUMNS =
      List.of(
          "case_id", "threshold", "dice", "lesion_f1", "gt_volume_ml", "pred_volume_ml", "volume_diff_ml",
          "gt_lesions", "pred_lesions", "lesion_tp", "lesion_fp", "lesion_fn", "voxel_tp", "voxel_fp", "voxel_fn",
          "hd_mm", "hd95_mm", "assd_mm", "slice_thickness_mm", "slice_bucket", "size_bucket", "prediction_missing");

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
        evaluation.getPredictionPath() == null);
  }

  /** Writes a header and rows atomically; undefined numbers (NaN) are empty cells. */
  public static void write(Path file, List<String> header, List<List<Object>> rows) {
    StringBuilder csv = new StringBuilder();
    appendLine(csv, new ArrayList<>(header));
    rows.forEach(row -> appendLine(csv, row));
    AtomicFiles.writeBytes(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void appendLine(StringBuilder csv, List<?> cells) {
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        csv.append(',');
      }
      csv.append(cell(cells.get(c)));
    }
    csv.append('\n');
  }

  private static String cell(Object value) {
    if (value instanceof Double number && number.isNaN()) {
      return "";
    }
    String text = String.valueOf(value);
    boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n");
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
