package org.isles.preprocess;

import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Cubic B-spline coefficients of a volume, as scipy.ndimage.spline_filter(order=3, mode='mirror')
 * computes them in double precision: the recursive filter of Unser (1993) run along each axis, with
 * the mirror-boundary initial conditions of scipy's ni_splines.c. Interpolating these coefficients
 * with cubic B-spline weights passes exactly through the original voxel values.
 */
final class SplinePrefilter {
  private static final double POLE = Math.sqrt(3.0) - 2.0;
  /** (1 - z)(1 - 1/z) for the cubic pole: the filter's DC gain. */
  private static final double GAIN = 6.0;

  private SplinePrefilter() {}

  static double[] coefficients(Volume volume) {
    Grid grid = volume.grid();
    float[] data = volume.data();
    double[] coefficients = new double[data.length];
    for (int n = 0; n < data.length; n++) {
      coefficients[n] = data[n];
    }
    int[] shape = grid.shape();
    int[] stride = {1, grid.nx(), grid.nx() * grid.ny()};
    for (int axis = 0; axis < 3; axis++) {
      int length = shape[axis];
      if (length == 1) {
        continue;
      }
      int inner = (axis + 1) % 3;
      int outer = (axis + 2) % 3;
      int axisStride = stride[axis];
      int innerCount = shape[inner];
      int innerStride = stride[inner];
      int outerStride = stride[outer];
      ParallelSlices.range(shape[outer], data.length).forEach(v -> {
        double[] line = new double[length];
        for (int u = 0; u < innerCount; u++) {
          int base = u * innerStride + v * outerStride;
          for (int n = 0; n < length; n++) {
            line[n] = coefficients[base + n * axisStride];
          }
          filterLine(line);
          for (int n = 0; n < length; n++) {
            coefficients[base + n * axisStride] = line[n];
          }
        }
      });
    }
    return coefficients;
  }

  /** In place; {@code c.length >= 2}. */
  static void filterLine(double[] c) {
    int n = c.length;
    double z = POLE;
    for (int i = 0; i < n; i++) {
      c[i] *= GAIN;
    }
    // Causal start: the infinite mirrored signal summed exactly over one period.
    double zToNMinus1 = Math.pow(z, n - 1);
    double first = c[0] + zToNMinus1 * c[n - 1];
    double zi = z;
    for (int i = 1; i < n - 1; i++) {
      first += zi * (c[i] + zToNMinus1 * c[n - 1 - i]);
      zi *= z;
    }
    c[0] = first / (1.0 - zToNMinus1 * zToNMinus1);
    for (int i = 1; i < n; i++) {
      c[i] += z * c[i - 1];
    }
    c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1.0);
    for (int i = n - 2; i >= 0; i--) {
      c[i] = z * (c[i + 1] - c[i]);
    }
  }
}
