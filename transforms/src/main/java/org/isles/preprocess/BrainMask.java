package org.isles.preprocess;

import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * The brain region normalization and cropping work on: the voxels that are nonzero in any of the
 * given channels on their original grid (ISLES images are skull-stripped, so background is exactly
 * 0 there; the DWI alone is the usual choice, the ADC may be added). It is found before resampling
 * and carried to the target grid by nearest neighbour, because after cubic resampling background
 * is no longer exactly 0.
 */
public final class BrainMask {
  /** Grids of channels of one case may differ by header rounding, not by more. */
  private static final double SAME_GRID_TOLERANCE = 1e-4;

  private BrainMask() {}

  /** 1 where any channel is nonzero, else 0, on the channels' (shared) grid. */
  public static Volume nonzero(Volume first, Volume... others) {
    float[] mask = new float[first.data().length];
    markNonzero(first, mask);
    for (Volume other : others) {
      if (!other.grid().sameGrid(first.grid(), SAME_GRID_TOLERANCE)) {
        throw new IllegalArgumentException(
            "brain mask channels must share one grid: " + first.grid() + " vs " + other.grid());
      }
      markNonzero(other, mask);
    }
    return new Volume(first.grid(), mask);
  }

  /** {@link #nonzero} of channels on their original grid, carried to {@code target} by nearest neighbour. */
  public static Volume onGrid(Grid target, Volume first, Volume... others) {
    return Resampler.resample(nonzero(first, others), target, Interpolation.NEAREST);
  }

  private static void markNonzero(Volume channel, float[] mask) {
    float[] data = channel.data();
    for (int n = 0; n < data.length; n++) {
      if (data[n] != 0f) {
        mask[n] = 1f;
      }
    }
  }
}
