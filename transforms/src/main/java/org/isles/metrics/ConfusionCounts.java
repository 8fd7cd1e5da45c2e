package org.isles.metrics;

import java.util.Collection;

/**
 * True positives, false positives and false negatives, of voxels or of lesions. Counts add up over
 * cases, which gives the micro-averaged precision, recall and F1.
 */
public record ConfusionCounts(long truePositives, long falsePositives, long falseNegatives) {
  public static final ConfusionCounts ZERO = new ConfusionCounts(0, 0, 0);

  public ConfusionCounts {
    if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0: " + truePositives + ", " + falsePositives + ", " + falseNegatives);
    }
  }

  /** Voxel counts of a prediction against a ground truth (nonzero = lesion). */
  public static ConfusionCounts ofMasks(boolean[] groundTruth, boolean[] prediction) {
    if (groundTruth.length != prediction.length) {
      throw new IllegalArgumentException(
          "ground truth has " + groundTruth.length + " voxels, prediction " + prediction.length);
    }
    long truePositives = 0, falsePositives = 0, falseNegatives = 0;
    for (int n = 0; n < groundTruth.length; n++) {
      if (prediction[n]) {
        if (groundTruth[n]) {
          truePositives++;
        } else {
          falsePositives++;
        }
      } else if (groundTruth[n]) {
        falseNegatives++;
      }
    }
    return new ConfusionCounts(truePositives, falsePositives, falseNegatives);
  }

  public static ConfusionCounts sum(Collection<ConfusionCounts> counts) {
    return counts.stream().reduce(ZERO, ConfusionCounts::plus);
  }

  public ConfusionCounts plus(ConfusionCounts other) {
    return new ConfusionCounts(truePositives + other.truePositives,
        falsePositives + other.falsePositives, falseNegatives + other.falseNegatives);
  }

  /** TP / (TP + FP); NaN when nothing was predicted. */
  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** TP / (TP + FN); NaN when there is nothing to find. */
  public double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /** TP / (TP + (FP + FN) / 2), the ISLES 2022 lesion-wise F1; 1.0 when all counts are 0. */
  public double f1() {
    if (truePositives + falsePositives + falseNegatives == 0) {
      return 1.0;
    }
    return truePositives / (truePositives + (falsePositives + falseNegatives) / 2.0);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }
}
