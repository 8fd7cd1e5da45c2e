package org.isles.preprocess;

import java.util.Arrays;
import org.isles.stats.Percentile;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Per-channel intensity normalization over the brain: clip to two percentiles of the brain voxels
 * (numpy's default linear-interpolation percentile), then z-score with the mean and population
 * standard deviation (ddof=0) of the clipped brain voxels. Background becomes 0. Statistics are
 * computed in double precision.
 */
public final class PercentileZScore {
  /** The recipe's 0.5-99.5 percentile clip. */
  public static final PercentileZScore DEFAULT = new PercentileZScore(0.5, 99.5);

  private final double lowPercentile;
  private final double highPercentile;

  public PercentileZScore(double lowPercentile, double highPercentile) {
    if (!(0 <= lowPercentile && lowPercentile <= highPercentile && highPercentile <= 100)) {
      throw new IllegalArgumentException(
          "percentiles must satisfy 0 <= low <= high <= 100, got " + lowPercentile + " and " + highPercentile);
    }
    this.lowPercentile = lowPercentile;
    this.highPercentile = highPercentile;
  }

  /** What was applied, to record with the case and to undo or audit the normalization. */
  public record Stats(double low, double high, double mean, double std) {}

  public record Normalized(Volume volume, Stats stats) {}

  /** @param brain nonzero on brain voxels, on the same grid as {@code image} */
  public Normalized apply(Volume image, Volume brain) {
    Grid grid = image.grid();
    if (!brain.grid().sameGrid(grid, 1e-6)) {
      throw new IllegalArgumentException("brain mask grid " + brain.grid() + " differs from image grid " + grid);
    }
    requireFinite(image);
    float[] data = image.data();
    float[] mask = brain.data();
    int count = 0;
    for (float m : mask) {
      if (m != 0f) {
        count++;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("brain mask is empty: no voxel to normalize over on grid " + grid);
    }
    double[] brainValues = new double[count];
    for (int n = 0, b = 0; n < data.length; n++) {
      if (mask[n] != 0f) {
        brainValues[b++] = data[n];
      }
    }
    Arrays.sort(brainValues);
    double low = Percentile.ofSorted(brainValues, 0, count, lowPercentile / 100.0);
    double high = Percentile.ofSorted(brainValues, 0, count, highPercentile / 100.0);
    double sum = 0;
    for (double value : brainValues) {
      sum += clip(value, low, high);
    }
    double mean = sum / count;
    double squares = 0;
    for (double value : brainValues) {
      double deviation = clip(value, low, high) - mean;
      squares += deviation * deviation;
    }
    double std = Math.sqrt(squares / count);
    if (!(std > 0)) {
      throw new IllegalArgumentException("image is constant over the brain (" + count
          + " voxels after clipping to [" + low + ", " + high + "]): standard deviation is 0");
    }
    float[] normalized = new float[data.length];
    for (int n = 0; n < data.length; n++) {
      if (mask[n] != 0f) {
        normalized[n] = (float) ((clip(data[n], low, high) - mean) / std);
      }
    }
    return new Normalized(new Volume(grid, normalized), new Stats(low, high, mean, std));
  }

  private static double clip(double value, double low, double high) {
    return Math.min(Math.max(value, low), high);
  }

  private static void requireFinite(Volume image) {
    float[] data = image.data();
    Grid grid = image.grid();
    int bad = 0;
    int first = -1;
    for (int n = 0; n < data.length; n++) {
      if (!Float.isFinite(data[n])) {
        bad++;
        first = first < 0 ? n : first;
      }
    }
    if (bad > 0) {
      int i = first % grid.nx();
      int j = first / grid.nx() % grid.ny();
      int k = first / (grid.nx() * grid.ny());
      throw new IllegalArgumentException("image has " + bad + " NaN or infinite voxels (first at voxel ("
          + i + ", " + j + ", " + k + "): " + data[first] + "); cannot normalize");
    }
  }
}
