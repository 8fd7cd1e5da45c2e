package org.isles.preprocess;

import org.isles.volume.Grid;

/**
 * Resampling when each target axis maps onto one source axis (a scaling plus an offset, the usual
 * case): the 3-D kernel is a product of 1-D kernels, so each output slice is three 1-D passes
 * (z, then y, then x) over precomputed per-axis indices and weights.
 */
final class SeparableSampling {
  private SeparableSampling() {}

  /** @param targetToSource diagonal affine from target to source voxel indices */
  static float[] sample(double[] values, Grid source, Grid target, double[] targetToSource,
      Interpolation interpolation) {
    AxisTaps x = new AxisTaps(target.nx(), source.nx(), targetToSource[0], targetToSource[3], interpolation);
    AxisTaps y = new AxisTaps(target.ny(), source.ny(), targetToSource[5], targetToSource[7], interpolation);
    AxisTaps z = new AxisTaps(target.nz(), source.nz(), targetToSource[10], targetToSource[11], interpolation);
    int sourceNx = source.nx();
    int sourcePlane = source.nx() * source.ny();
    int targetNx = target.nx();
    int targetPlane = target.nx() * target.ny();
    int taps = interpolation.width();
    float[] output = new float[target.size()];
    ParallelSlices.range(target.nz(), output.length).forEach(k -> {
      double[] plane = new double[sourcePlane];
      for (int t = 0; t < taps; t++) {
        double w = z.weights[k * taps + t];
        int offset = z.indices[k * taps + t] * sourcePlane;
        for (int n = 0; n < sourcePlane; n++) {
          plane[n] += w * values[offset + n];
        }
      }
      double[] rows = new double[sourceNx * target.ny()];
      for (int j = 0; j < target.ny(); j++) {
        for (int t = 0; t < taps; t++) {
          double w = y.weights[j * taps + t];
          int from = y.indices[j * taps + t] * sourceNx;
          int to = j * sourceNx;
          for (int i = 0; i < sourceNx; i++) {
            rows[to + i] += w * plane[from + i];
          }
        }
      }
      for (int j = 0; j < target.ny(); j++) {
        int row = j * sourceNx;
        int out = k * targetPlane + j * targetNx;
        for (int i = 0; i < targetNx; i++) {
          double sum = 0;
          for (int t = 0; t < taps; t++) {
            sum += x.weights[i * taps + t] * rows[row + x.indices[i * taps + t]];
          }
          output[out + i] = (float) sum;
        }
      }
    });
    return output;
  }

  /** For each target index along one axis, the source indices and weights its kernel reads. */
  private static final class AxisTaps {
    final int[] indices;
    final double[] weights;

    AxisTaps(int targetLength, int sourceLength, double scale, double offset, Interpolation interpolation) {
      int taps = interpolation.width();
      indices = new int[targetLength * taps];
      weights = new double[targetLength * taps];
      for (int n = 0; n < targetLength; n++) {
        interpolation.taps(offset + scale * n, sourceLength, indices, weights, n * taps);
      }
    }
  }
}
