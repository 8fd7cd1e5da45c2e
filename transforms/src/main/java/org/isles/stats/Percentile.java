package org.isles.stats;

/** Percentiles as numpy computes them by default (method "linear"). */
public final class Percentile {
  private Percentile() {}

  /**
   * The {@code fraction} quantile (0..1) of the ascending values {@code sorted[from..to)}: linear
   * interpolation between the two values around rank {@code fraction * (n - 1)}, with numpy's
   * rounding (interpolating from the nearer end).
   */
  public static double ofSorted(double[] sorted, int from, int to, double fraction) {
    if (to <= from) {
      throw new IllegalArgumentException("percentile of no values");
    }
    double rank = fraction * (to - from - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, to - from - 1);
    double weight = rank - below;
    double low = sorted[from + below];
    double high = sorted[from + above];
    double difference = high - low;
    return weight >= 0.5 ? high - difference * (1 - weight) : low + difference * weight;
  }
}
