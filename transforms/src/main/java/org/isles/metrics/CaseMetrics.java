package org.isles.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one case at one threshold, following the ISLES 2022 challenge's evaluation code:
 * binary = nonzero, lesions = 26-connected components, Dice 1.0 when both masks are empty, lesion
 * F1 = TP / (TP + (FP + FN) / 2) with TP a ground-truth lesion that any predicted voxel touches,
 * FN one that none touches, FP a predicted component without a ground-truth voxel (1.0 when all
 * are 0), volumes in mL from the voxel volume.
 *
 * <p>Everything is derived from the stored counts, so the record cannot disagree with itself.
 * {@link #UNDEFINED_DISTANCE_RULE} states how empty masks are treated.
 *
 * @param threshold the probability threshold, NaN when binary masks were scored
 * @param voxels voxel TP / FP / FN
 * @param lesions lesion-wise TP / FP / FN
 */
public record CaseMetrics(
    double threshold,
    double voxelVolumeMl,
    ConfusionCounts voxels,
    int groundTruthLesions,
    int predictedLesions,
    ConfusionCounts lesions,
    BoundaryDistances boundary) {

  /** The rule for boundary distances of empty masks, for the summary to quote. */
  public static final String UNDEFINED_DISTANCE_RULE =
      "HD, HD95 and ASSD are undefined when the ground truth or the prediction is empty; such cases"
          + " get NaN, are excluded from the distance means and standard deviations, and the number"
          + " excluded is reported next to each.";

  public long groundTruthVoxels() {
    return voxels.truePositives() + voxels.falseNegatives();
  }

  public long predictedVoxels() {
    return voxels.truePositives() + voxels.falsePositives();
  }

  /** 2 |G∩P| / (|G| + |P|); 1.0 when both are empty. */
  public double dice() {
    long sum = groundTruthVoxels() + predictedVoxels();
    return sum == 0 ? 1.0 : 2.0 * voxels.truePositives() / sum;
  }

  public double groundTruthVolumeMl() {
    return groundTruthVoxels() * voxelVolumeMl;
  }

  public double predictedVolumeMl() {
    return predictedVoxels() * voxelVolumeMl;
  }

  /** Predicted minus ground-truth volume. */
  public double volumeDifferenceMl() {
    return predictedVolumeMl() - groundTruthVolumeMl();
  }

  public double absoluteVolumeDifferenceMl() {
    return Math.abs(groundTruthVolumeMl() - predictedVolumeMl());
  }

  /** N(P) - N(G). */
  public int lesionCountDifference() {
    return predictedLesions - groundTruthLesions;
  }

  public int absoluteLesionCountDifference() {
    return Math.abs(groundTruthLesions - predictedLesions);
  }

  public double lesionF1() {
    return lesions.f1();
  }

  /** Predicted components that touch no ground-truth voxel (the lesion-wise FP). */
  public long falsePositiveComponents() {
    return lesions.falsePositives();
  }

  public double voxelPrecision() {
    return voxels.precision();
  }

  public double voxelRecall() {
    return voxels.recall();
  }

  public boolean hasLesion() {
    return groundTruthVoxels() > 0;
  }

  /** A case with lesions where at least one predicted voxel is lesion. */
  public boolean detected() {
    return hasLesion() && voxels.truePositives() > 0;
  }

  /** A case without lesions where some voxel is predicted. */
  public boolean falseAlarm() {
    return !hasLesion() && predictedVoxels() > 0;
  }

  /** All metrics in a fixed order with snake_case keys; NaN becomes null, which JSON can hold. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("threshold", orNull(threshold));
    map.put("dice", dice());
    map.put("lesion_f1", lesionF1());
    map.put("absolute_volume_difference_ml", absoluteVolumeDifferenceMl());
    map.put("volume_difference_ml", volumeDifferenceMl());
    map.put("absolute_lesion_count_difference", absoluteLesionCountDifference());
    map.put("lesion_count_difference", lesionCountDifference());
    map.put("ground_truth_volume_ml", groundTruthVolumeMl());
    map.put("predicted_volume_ml", predictedVolumeMl());
    map.put("ground_truth_lesions", groundTruthLesions);
    map.put("predicted_lesions", predictedLesions);
    map.put("lesion_true_positives", lesions.truePositives());
    map.put("lesion_false_positives", lesions.falsePositives());
    map.put("lesion_false_negatives", lesions.falseNegatives());
    map.put("false_positive_components", falsePositiveComponents());
    map.put("voxel_true_positives", voxels.truePositives());
    map.put("voxel_false_positives", voxels.falsePositives());
    map.put("voxel_false_negatives", voxels.falseNegatives());
    map.put("voxel_precision", orNull(voxelPrecision()));
    map.put("voxel_recall", orNull(voxelRecall()));
    map.put("hausdorff_mm", orNull(boundary.hausdorffMm()));
    map.put("hausdorff95_mm", orNull(boundary.hausdorff95Mm()));
    map.put("assd_mm", orNull(boundary.assdMm()));
    return map;
  }

  private static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
