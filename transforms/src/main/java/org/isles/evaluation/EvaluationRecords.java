package org.isles.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.isles.metrics.BoundaryDistances;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.ConfusionCounts;
import org.isles.schemas.CaseEvaluation;
import org.isles.schemas.ThresholdMetrics;

/**
 * Converts between {@link CaseMetrics}, which the metrics are computed and aggregated with, and the
 * Avro {@link CaseEvaluation} that carries a case through a pipeline and into the per-case file.
 */
public final class EvaluationRecords {
  private EvaluationRecords() {}

  /**
   * @param metrics one entry per threshold, in sweep order
   * @param predictionPath null when the prediction was missing
   */
  public static CaseEvaluation toRecord(
      String caseId, String groundTruthPath, String predictionPath, double sliceThicknessMm, List<CaseMetrics> metrics) {
    CaseMetrics first = metrics.get(0);
    List<ThresholdMetrics> thresholds = new ArrayList<>(metrics.size());
    for (CaseMetrics m : metrics) {
      thresholds.add(
          ThresholdMetrics.newBuilder()
              .setThreshold(m.threshold())
              .setDice(m.dice())
              .setLesionF1(m.lesionF1())
              .setVolumeDiffMl(m.volumeDifferenceMl())
              .setTpVoxels(m.voxels().truePositives())
              .setFpVoxels(m.voxels().falsePositives())
              .setFnVoxels(m.voxels().falseNegatives())
              .setPredLesions(m.predictedLesions())
              .setLesionTp(Math.toIntExact(m.lesions().truePositives()))
              .setLesionFp(Math.toIntExact(m.lesions().falsePositives()))
              .setLesionFn(Math.toIntExact(m.lesions().falseNegatives()))
              .setHdMm(m.boundary().hausdorffMm())
              .setHd95Mm(m.boundary().hausdorff95Mm())
              .setAssdMm(m.boundary().assdMm())
              .build());
    }
    return CaseEvaluation.newBuilder()
        .setCaseId(caseId)
        .setGroundTruthPath(groundTruthPath)
        .setPredictionPath(predictionPath)
        .setSliceThicknessMm(sliceThicknessMm)
        .setVoxelVolumeMl(first.voxelVolumeMl())
        .setGtVoxels(first.groundTruthVoxels())
        .setGtVolumeMl(first.groundTruthVolumeMl())
        .setGtLesions(first.groundTruthLesions())
        .setThresholds(thresholds)
        .build();
  }

  /** The case's metrics at threshold number {@code t} of its sweep. */
  public static CaseMetrics metricsAt(CaseEvaluation evaluation, int t) {
    ThresholdMetrics m = evaluation.getThresholds().get(t);
    return new CaseMetrics(
        m.getThreshold(),
        evaluation.getVoxelVolumeMl(),
        new ConfusionCounts(m.getTpVoxels(), m.getFpVoxels(), m.getFnVoxels()),
        evaluation.getGtLesions(),
        m.getPredLesions(),
        new ConfusionCounts(m.getLesionTp(), m.getLesionFp(), m.getLesionFn()),
        new BoundaryDistances(m.getHdMm(), m.getHd95Mm(), m.getAssdMm()));
  }

  /** The case at every threshold, in sweep order. */
  public static List<CaseMetrics> metrics(CaseEvaluation evaluation) {
    List<CaseMetrics> metrics = new ArrayList<>();
    for (int t = 0; t < evaluation.getThresholds().size(); t++) {
      metrics.add(metricsAt(evaluation, t));
    }
    return metrics;
  }
}
