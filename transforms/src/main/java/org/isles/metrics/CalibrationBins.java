package org.isles.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration counts of voxel probabilities: {@link #BINS} equal-width bins over [0, 1] (bin b
 * holds b/15 <= p < (b+1)/15, p = 1 in the last), each with its voxels, their summed probability
 * and how many of them are lesion in the ground truth. Counts of cases add up to the pooled counts.
 * ECE = sum over bins of (voxels / all voxels) * |lesion fraction - mean probability|.
 */
public record CalibrationBins(long[] voxels, double[] probabilitySums, long[] lesionVoxels) {
  public static final int BINS = 15;

  public static CalibrationBins empty() {
    return new CalibrationBins(new long[BINS], new double[BINS], new long[BINS]);
  }

  /** Counts the voxels where {@code region} is true (all voxels when it is null). */
  public static CalibrationBins of(float[] probabilities, boolean[] truth, boolean[] region) {
    CalibrationBins bins = empty();
    for (int n = 0; n < probabilities.length; n++) {
      if (region == null || region[n]) {
        double p = probabilities[n];
        int b = Math.min((int) (p * BINS), BINS - 1);
        bins.voxels[b]++;
        bins.probabilitySums[b] += p;
        if (truth[n]) {
          bins.lesionVoxels[b]++;
        }
      }
    }
    return bins;
  }

  public CalibrationBins plus(CalibrationBins other) {
    CalibrationBins sum = empty();
    for (int b = 0; b < BINS; b++) {
      sum.voxels[b] = voxels[b] + other.voxels[b];
      sum.probabilitySums[b] = probabilitySums[b] + other.probabilitySums[b];
      sum.lesionVoxels[b] = lesionVoxels[b] + other.lesionVoxels[b];
    }
    return sum;
  }

  public long totalVoxels() {
    long total = 0;
    for (long v : voxels) {
      total += v;
    }
    return total;
  }

  /** Expected calibration error; NaN with no voxel. */
  public double ece() {
    long total = totalVoxels();
    if (total == 0) {
      return Double.NaN;
    }
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      if (voxels[b] > 0) {
        ece += (double) voxels[b] / total * Math.abs((double) lesionVoxels[b] / voxels[b] - probabilitySums[b] / voxels[b]);
      }
    }
    return ece;
  }

  /**
   * One point of the reliability diagram.
   *
   * @param meanProbability null when the bin is empty, as {@code lesionFraction}
   */
  public record Bin(double lower, double upper, long voxels, Double meanProbability, Double lesionFraction) {}

  /** The reliability diagram's points: per bin its edges, voxels, mean probability and lesion fraction. */
  public List<Bin> reliability() {
    List<Bin> bins = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, voxels[b],
          voxels[b] == 0 ? null : probabilitySums[b] / voxels[b], voxels[b] == 0 ? null : (double) lesionVoxels[b] / voxels[b]));
    }
    return bins;
  }
}
