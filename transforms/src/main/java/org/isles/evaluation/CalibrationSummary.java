package org.isles.evaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.isles.metrics.CalibrationBins;
import org.isles.plot.LineCharts;
import org.isles.schemas.CalibrationCounts;
import org.isles.schemas.CaseEvaluation;

/**
 * The {@code calibration} block of summary.json and its reliability diagram: the expected
 * calibration error of the voxel probabilities inside the brain, per case and pooled over the
 * cases (their bin counts summed), with {@link CalibrationBins#BINS} equal-width bins.
 */
public final class CalibrationSummary {
  public static final String KEY = "calibration";
  public static final String DIAGRAM = "reliability.png";
  static final String NONZERO_DWI = "nonzero DWI";
  static final String ALL_VOXELS = "all voxels (no DWI known)";

  private CalibrationSummary() {}

  /** The pooled bins of the cases that have calibration counts. */
  public static CalibrationBins pooled(List<CaseEvaluation> cases) {
    CalibrationBins pooled = CalibrationBins.empty();
    for (CaseEvaluation c : cases) {
      if (c.getCalibration() != null) {
        pooled = pooled.plus(bins(c.getCalibration()));
      }
    }
    return pooled;
  }

  /** Null when no case has a prediction to calibrate. */
  public static Summary.Calibration toJson(List<CaseEvaluation> cases) {
    List<CaseEvaluation> calibrated = cases.stream().filter(c -> c.getCalibration() != null).toList();
    if (calibrated.isEmpty()) {
      return null;
    }
    CalibrationBins pooled = pooled(calibrated);
    Map<String, Double> perCase = new LinkedHashMap<>();
    for (CaseEvaluation c : calibrated) {
      perCase.put(c.getCaseId(), Summary.number(bins(c.getCalibration()).ece()));
    }
    return new Summary.Calibration(
        CalibrationBins.BINS,
        String.join(", ", new TreeSet<>(calibrated.stream().map(c -> c.getCalibration().getRegion()).toList())),
        "voxel probabilities before thresholding and post-processing, in " + CalibrationBins.BINS + " equal-width bins;"
            + " ECE = sum over bins of (voxels in bin / voxels) * |lesion fraction - mean probability|; pooled sums the bins of"
            + " every case with a prediction",
        new Summary.PooledCalibration(Summary.number(pooled.ece()), calibrated.size(), pooled.totalVoxels(), pooled.reliability()),
        perCase);
  }

  /** The pooled reliability diagram: lesion fraction against mean probability per bin, and the diagonal. */
  public static void writeDiagram(Path file, List<CaseEvaluation> cases) {
    CalibrationBins pooled = pooled(cases);
    List<double[]> points = new java.util.ArrayList<>();
    for (int b = 0; b < CalibrationBins.BINS; b++) {
      if (pooled.voxels()[b] > 0) {
        points.add(new double[] {pooled.probabilitySums()[b] / pooled.voxels()[b], (double) pooled.lesionVoxels()[b] / pooled.voxels()[b]});
      }
    }
    LineCharts.reliability(file, String.format(java.util.Locale.ROOT, "Reliability, pooled over cases (ECE %.4f)", pooled.ece()), points);
  }

  public static CalibrationBins bins(CalibrationCounts counts) {
    return new CalibrationBins(
        counts.getVoxels().stream().mapToLong(Long::longValue).toArray(),
        counts.getProbabilitySums().stream().mapToDouble(Double::doubleValue).toArray(),
        counts.getLesionVoxels().stream().mapToLong(Long::longValue).toArray());
  }
}
