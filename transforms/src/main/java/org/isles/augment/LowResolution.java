package org.isles.augment;

import java.util.Arrays;
import org.isles.sampling.PatchSize;

/**
 * Thick slices along one axis: each line along the axis is averaged over blocks of about {@code
 * factor} voxels (a slice integrates its thickness) and linearly interpolated back to its length,
 * as nnU-Net's SimulateLowResolution does (which samples with nearest neighbour and up-samples
 * cubically); the other two axes are untouched.
 */
final class LowResolution {
  private LowResolution() {}

  /** Applies to {@code data[start .. start + size.voxels()]} in place; factor 1 is the identity. */
  static void apply(float[] data, int start, PatchSize size, int axis, double factor) {
    int length = size.along(axis);
    int blocks = Math.max(1, (int) Math.round(length / factor));
    if (blocks >= length) {
      return;
    }
    int[] strides = {1, size.nx(), size.nx() * size.ny()};
    int stride = strides[axis];
    int[] other = axis == 0 ? new int[] {1, 2} : axis == 1 ? new int[] {0, 2} : new int[] {0, 1};
    double[] sums = new double[blocks];
    int[] counts = new int[blocks];
    int[] blockOf = new int[length];
    for (int n = 0; n < length; n++) {
      blockOf[n] = Math.min(blocks - 1, (int) ((n + 0.5) * blocks / length));
      counts[blockOf[n]]++;
    }
    double[] centres = new double[blocks];
    for (int n = 0; n < length; n++) {
      centres[blockOf[n]] += (double) n / counts[blockOf[n]];
    }
    for (int b = 0; b < size.along(other[1]); b++) {
      for (int a = 0; a < size.along(other[0]); a++) {
        int base = start + a * strides[other[0]] + b * strides[other[1]];
        Arrays.fill(sums, 0);
        for (int n = 0; n < length; n++) {
          sums[blockOf[n]] += data[base + n * stride];
        }
        int upper = 0;
        for (int n = 0; n < length; n++) {
          while (upper < blocks - 1 && centres[upper] < n) {
            upper++;
          }
          int lower = Math.max(0, centres[upper] >= n ? upper - 1 : upper);
          double low = sums[lower] / counts[lower];
          double high = sums[upper] / counts[upper];
          double span = centres[upper] - centres[lower];
          double t = span <= 0 ? 0 : Math.min(1, Math.max(0, (n - centres[lower]) / span));
          data[base + n * stride] = (float) (low + t * (high - low));
        }
      }
    }
  }
}
