package org.isles.augment;

import org.isles.sampling.PatchSize;
import org.isles.sampling.PatchWindow;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Resamples a patch through an affine map, as {@code scipy.ndimage.affine_transform} does with
 * {@code mode='grid-constant', cval=0}: output voxel o (x, y, z) reads the source at
 * {@code matrix * o + offset}, and source voxels outside the volume count as 0.
 *
 * <p>Augmented patches are read straight from the whole case rather than from a cropped patch, so
 * a rotated or zoomed patch shows real context up to its corners; only what lies outside the
 * volume itself is zero, exactly like the padding of an unaugmented patch.
 */
public final class AffineResampler {
  private AffineResampler() {}

  /** The window of {@code trainingCase} seen through {@code transform} about the window centre. */
  public static TrainingSample resample(TrainingCase trainingCase, PatchWindow window, SpatialTransform transform) {
    PatchSize size = window.size();
    double[] matrix = transform.matrix();
    double[] offset = new double[3];
    for (int r = 0; r < 3; r++) {
      offset[r] = window.centre(r);
      for (int c = 0; c < 3; c++) {
        offset[r] -= matrix[3 * r + c] * (size.along(c) - 1) / 2.0;
      }
    }
    TrainingSample sample = TrainingSample.zeros(trainingCase.id(), trainingCase.channelCount(), size);
    for (int c = 0; c < trainingCase.channelCount(); c++) {
      trilinear(trainingCase.channels().get(c), matrix, offset, size, sample.image(), sample.channelStart(c));
    }
    nearestBinary(trainingCase.label(), matrix, offset, size, sample.label());
    return sample;
  }

  /** Trilinear interpolation of {@code source} into {@code out[outStart ..]} in x-fastest order. */
  public static void trilinear(Volume source, double[] matrix, double[] offset, PatchSize size, float[] out, int outStart) {
    Grid grid = source.grid();
    float[] data = source.data();
    int nx = grid.nx();
    int ny = grid.ny();
    int nz = grid.nz();
    int n = outStart;
    for (int z = 0; z < size.nz(); z++) {
      for (int y = 0; y < size.ny(); y++) {
        for (int x = 0; x < size.nx(); x++) {
          double sx = matrix[0] * x + matrix[1] * y + matrix[2] * z + offset[0];
          double sy = matrix[3] * x + matrix[4] * y + matrix[5] * z + offset[1];
          double sz = matrix[6] * x + matrix[7] * y + matrix[8] * z + offset[2];
          int x0 = (int) Math.floor(sx);
          int y0 = (int) Math.floor(sy);
          int z0 = (int) Math.floor(sz);
          double fx = sx - x0;
          double fy = sy - y0;
          double fz = sz - z0;
          if (x0 >= 0 && y0 >= 0 && z0 >= 0 && x0 < nx - 1 && y0 < ny - 1 && z0 < nz - 1) {
            out[n++] = (float) interior(data, x0 + nx * (y0 + ny * z0), nx, nx * ny, fx, fy, fz);
            continue;
          }
          if (x0 < -1 || y0 < -1 || z0 < -1 || x0 >= nx || y0 >= ny || z0 >= nz) {
            out[n++] = 0f;
            continue;
          }
          double value = 0;
          for (int dz = 0; dz < 2; dz++) {
            int k = z0 + dz;
            if (k < 0 || k >= nz) {
              continue;
            }
            double wz = dz == 0 ? 1 - fz : fz;
            for (int dy = 0; dy < 2; dy++) {
              int j = y0 + dy;
              if (j < 0 || j >= ny) {
                continue;
              }
              double wzy = wz * (dy == 0 ? 1 - fy : fy);
              int row = nx * (j + ny * k);
              if (x0 >= 0) {
                value += wzy * (1 - fx) * data[row + x0];
              }
              if (x0 + 1 < nx) {
                value += wzy * fx * data[row + x0 + 1];
              }
            }
          }
          out[n++] = (float) value;
        }
      }
    }
  }

  /** Trilinear value when all eight neighbours, starting at {@code corner}, lie in the volume. */
  private static double interior(float[] data, int corner, int rowStride, int sliceStride, double fx, double fy, double fz) {
    int up = corner + sliceStride;
    double front = (1 - fy) * lerp(data[corner], data[corner + 1], fx)
        + fy * lerp(data[corner + rowStride], data[corner + rowStride + 1], fx);
    double back = (1 - fy) * lerp(data[up], data[up + 1], fx)
        + fy * lerp(data[up + rowStride], data[up + rowStride + 1], fx);
    return (1 - fz) * front + fz * back;
  }

  private static double lerp(double low, double high, double fraction) {
    return (1 - fraction) * low + fraction * high;
  }

  /**
   * Nearest-neighbour sampling of a mask into {@code out} as 0/1, so a label stays binary. Ties at
   * exactly half a voxel round up.
   */
  public static void nearestBinary(Volume mask, double[] matrix, double[] offset, PatchSize size, float[] out) {
    Grid grid = mask.grid();
    float[] data = mask.data();
    int n = 0;
    for (int z = 0; z < size.nz(); z++) {
      for (int y = 0; y < size.ny(); y++) {
        for (int x = 0; x < size.nx(); x++) {
          int i = (int) Math.floor(matrix[0] * x + matrix[1] * y + matrix[2] * z + offset[0] + 0.5);
          int j = (int) Math.floor(matrix[3] * x + matrix[4] * y + matrix[5] * z + offset[1] + 0.5);
          int k = (int) Math.floor(matrix[6] * x + matrix[7] * y + matrix[8] * z + offset[2] + 0.5);
          boolean inside = i >= 0 && j >= 0 && k >= 0 && i < grid.nx() && j < grid.ny() && k < grid.nz();
          out[n++] = inside && data[grid.index(i, j, k)] != 0f ? 1f : 0f;
        }
      }
    }
  }
}
