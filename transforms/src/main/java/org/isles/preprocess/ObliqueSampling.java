package org.isles.preprocess;

import org.isles.volume.Grid;

/**
 * Resampling under a general affine (rotated or permuted axes): every target voxel gets its own
 * source coordinate and a full 3-D kernel.
 */
final class ObliqueSampling {
  private ObliqueSampling() {}

  static float[] sample(double[] values, Grid source, Grid target, double[] m, Interpolation interpolation) {
    int taps = interpolation.width();
    int sourceNx = source.nx();
    int sourceNy = source.ny();
    int sourceNz = source.nz();
    int sourcePlane = sourceNx * sourceNy;
    int targetNx = target.nx();
    int targetNy = target.ny();
    float[] output = new float[target.size()];
    ParallelSlices.range(target.nz(), output.length).forEach(k -> {
      int[] ix = new int[taps];
      int[] iy = new int[taps];
      int[] iz = new int[taps];
      double[] wx = new double[taps];
      double[] wy = new double[taps];
      double[] wz = new double[taps];
      for (int j = 0; j < targetNy; j++) {
        for (int i = 0; i < targetNx; i++) {
          interpolation.taps(m[0] * i + m[1] * j + m[2] * k + m[3], sourceNx, ix, wx, 0);
          interpolation.taps(m[4] * i + m[5] * j + m[6] * k + m[7], sourceNy, iy, wy, 0);
          interpolation.taps(m[8] * i + m[9] * j + m[10] * k + m[11], sourceNz, iz, wz, 0);
          double sum = 0;
          for (int c = 0; c < taps; c++) {
            int zOffset = iz[c] * sourcePlane;
            for (int b = 0; b < taps; b++) {
              int rowOffset = zOffset + iy[b] * sourceNx;
              double row = 0;
              for (int a = 0; a < taps; a++) {
                row += wx[a] * values[rowOffset + ix[a]];
              }
              sum += wz[c] * wy[b] * row;
            }
          }
          output[i + targetNx * (j + targetNy * k)] = (float) sum;
        }
      }
    });
    return output;
  }
}
