package org.isles.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap of a mean paired difference: the cases are resampled with replacement
 * {@code resamples} times, and the 2.5th and 97.5th percentiles (numpy's linear rule) of the
 * resampled means bound the 95% interval. The same seed gives the same interval.
 */
public final class PairedBootstrap {
  /** A two-sided 95% interval. */
  public static final double LEVEL = 0.95;

  /** @param low the lower bound, @param high the upper bound of the interval */
  public record Interval(double low, double high) {
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  private PairedBootstrap() {}

  public static Interval meanInterval(double[] differences, int resamples, long seed) {
    if (differences.length == 0) {
      throw new IllegalArgumentException("bootstrap of no differences");
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("bootstrap needs at least one resample, got " + resamples);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int n = differences.length;
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += differences[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    Arrays.sort(means);
    double tail = (1 - LEVEL) / 2;
    return new Interval(Percentile.ofSorted(means, 0, resamples, tail), Percentile.ofSorted(means, 0, resamples, 1 - tail));
  }
}
