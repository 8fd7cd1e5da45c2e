package org.isles.augment;

import java.util.Arrays;
import org.isles.sampling.PatchSize;

/**
 * Separable Gaussian smoothing of one channel, matching {@code scipy.ndimage.gaussian_filter} with
 * {@code mode='nearest', truncate=4.0}: the kernel reaches {@code round(4 sigma)} voxels, and the
 * border voxel is repeated beyond the patch edge so the blur does not darken the border.
 */
public final class GaussianBlur {
  public static final double TRUNCATE = 4.0;

  private GaussianBlur() {}

  /** Blurs {@code data[start .. start + size.voxels()]} in place with the same sigma on every axis. */
  public static void blur(float[] data, int start, PatchSize size, double sigma) {
    double[] kernel = kernel(sigma);
    int[] strides = {1, size.nx(), size.nx() * size.ny()};
    for (int axis = 0; axis < 3; axis++) {
      blurAxis(data, start, size, axis, strides, kernel);
    }
  }

  /** Normalised weights for offsets -radius .. radius. */
  static double[] kernel(double sigma) {
    int radius = (int) (TRUNCATE * sigma + 0.5);
    double[] weights = new double[2 * radius + 1];
    double sum = 0;
    for (int n = -radius; n <= radius; n++) {
      weights[n + radius] = Math.exp(-0.5 * n * n / (sigma * sigma));
      sum += weights[n + radius];
    }
    for (int n = 0; n < weights.length; n++) {
      weights[n] /= sum;
    }
    return weights;
  }

  private static void blurAxis(float[] data, int start, PatchSize size, int axis, int[] strides, double[] kernel) {
    int length = size.along(axis);
    int stride = strides[axis];
    int radius = kernel.length / 2;
    // The line with its border voxels repeated radius times on each side (scipy's mode='nearest').
    float[] padded = new float[length + 2 * radius];
    int[] other = axis == 0 ? new int[] {1, 2} : axis == 1 ? new int[] {0, 2} : new int[] {0, 1};
    for (int b = 0; b < size.along(other[1]); b++) {
      for (int a = 0; a < size.along(other[0]); a++) {
        int base = start + a * strides[other[0]] + b * strides[other[1]];
        for (int n = 0; n < length; n++) {
          padded[radius + n] = data[base + n * stride];
        }
        Arrays.fill(padded, 0, radius, padded[radius]);
        Arrays.fill(padded, radius + length, padded.length, padded[radius + length - 1]);
        for (int n = 0; n < length; n++) {
          double sum = 0;
          for (int t = 0; t < kernel.length; t++) {
            sum += kernel[t] * padded[n + t];
          }
          data[base + n * stride] = (float) sum;
        }
      }
    }
  }
}
