package org.isles.distance;

import java.util.Arrays;
import org.isles.components.BoundingBox;

/**
 * Exact Euclidean distance, in mm, from every voxel to the nearest feature voxel of a 3-D grid
 * (index {@code i + nx * (j + ny * k)}) with anisotropic voxel spacing: what
 * {@code scipy.ndimage.distance_transform_edt(~features, sampling=spacing)} returns.
 *
 * <p>Felzenszwalb and Huttenlocher's separable algorithm: exact 1-D distances along x, then along
 * y and z the lower envelope of the parabolas rooted at each voxel's squared distance so far.
 * Linear in the number of voxels. Voxels of a grid without any feature get +Infinity.
 */
public final class EuclideanDistanceTransform {
  private EuclideanDistanceTransform() {}

  /** @param spacing voxel sizes along x, y, z in mm */
  public static double[] distances(boolean[] features, int nx, int ny, int nz, double[] spacing) {
    if ((long) nx * ny * nz != features.length || spacing.length != 3) {
      throw new IllegalArgumentException("feature mask of " + features.length + " voxels and "
          + spacing.length + " spacings do not match dimensions " + nx + "x" + ny + "x" + nz);
    }
    double[] squared = new double[features.length];
    alongX(features, squared, nx, ny * nz, spacing[0]);
    int longest = Math.max(nx, Math.max(ny, nz));
    Envelope envelope = new Envelope(longest);
    for (int k = 0; k < nz; k++) {
      for (int i = 0; i < nx; i++) {
        envelope.transform(squared, i + nx * ny * k, nx, ny, spacing[1]);
      }
    }
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        envelope.transform(squared, i + nx * j, nx * ny, nz, spacing[2]);
      }
    }
    for (int n = 0; n < squared.length; n++) {
      squared[n] = Math.sqrt(squared[n]);
    }
    return squared;
  }

  /**
   * The distances at the voxels {@code queries} only. The transform runs on the bounding box of
   * the features and the queries, which gives the same values: every feature lies inside it.
   */
  public static double[] distancesAt(
      boolean[] features, int[] queries, int nx, int ny, int nz, double[] spacing) {
    BoundingBox box = BoundingBox.of(features, nx, ny, nz);
    if (box.isEmpty()) {
      double[] none = new double[queries.length];
      Arrays.fill(none, Double.POSITIVE_INFINITY);
      return none;
    }
    box = box.union(BoundingBox.ofIndices(queries, nx, ny));
    double[] inBox = distances(box.crop(features, nx, ny), box.nx(), box.ny(), box.nz(), spacing);
    double[] atQueries = new double[queries.length];
    for (int q = 0; q < queries.length; q++) {
      int i = queries[q] % nx - box.x0();
      int j = (queries[q] / nx) % ny - box.y0();
      int k = queries[q] / (nx * ny) - box.z0();
      atQueries[q] = inBox[i + box.nx() * (j + box.ny() * k)];
    }
    return atQueries;
  }

  /** Squared distance to the nearest feature on the same x line, by a forward and a backward scan. */
  private static void alongX(boolean[] features, double[] squared, int nx, int lines, double spacing) {
    for (int line = 0; line < lines; line++) {
      int start = line * nx;
      int last = -1;
      for (int i = 0; i < nx; i++) {
        if (features[start + i]) {
          last = i;
        }
        double d = (i - last) * spacing;
        squared[start + i] = last < 0 ? Double.POSITIVE_INFINITY : d * d;
      }
      last = -1;
      for (int i = nx - 1; i >= 0; i--) {
        if (features[start + i]) {
          last = i;
        }
        if (last >= 0) {
          double d = (last - i) * spacing;
          squared[start + i] = Math.min(squared[start + i], d * d);
        }
      }
    }
  }

  /** Work arrays for the 1-D lower envelope of parabolas, reused for every line. */
  private static final class Envelope {
    private final double[] values;
    private final double[] result;
    private final int[] roots;
    private final double[] boundaries;

    Envelope(int longest) {
      values = new double[longest];
      result = new double[longest];
      roots = new int[longest];
      boundaries = new double[longest + 1];
    }

    /**
     * Replaces {@code f} on the line {@code start + q * stride}, q < length, by
     * min over p of f(p) + ((q - p) * spacing)^2. Infinite values root no parabola.
     */
    void transform(double[] f, int start, int stride, int length, double spacing) {
      for (int q = 0; q < length; q++) {
        values[q] = f[start + q * stride];
      }
      int top = -1;
      for (int q = 0; q < length; q++) {
        if (values[q] == Double.POSITIVE_INFINITY) {
          continue;
        }
        double position = q * spacing;
        double lifted = values[q] + position * position;
        if (top < 0) {
          top = 0;
          roots[0] = q;
          boundaries[0] = Double.NEGATIVE_INFINITY;
          boundaries[1] = Double.POSITIVE_INFINITY;
          continue;
        }
        double crossing;
        while (true) {
          double rootPosition = roots[top] * spacing;
          crossing = (lifted - (values[roots[top]] + rootPosition * rootPosition))
              / (2 * (position - rootPosition));
          if (crossing <= boundaries[top]) {
            top--;
          } else {
            break;
          }
        }
        top++;
        roots[top] = q;
        boundaries[top] = crossing;
        boundaries[top + 1] = Double.POSITIVE_INFINITY;
      }
      if (top < 0) {
        return;
      }
      int parabola = 0;
      for (int q = 0; q < length; q++) {
        double position = q * spacing;
        while (boundaries[parabola + 1] < position) {
          parabola++;
        }
        double d = (q - roots[parabola]) * spacing;
        result[q] = d * d + values[roots[parabola]];
      }
      for (int q = 0; q < length; q++) {
        f[start + q * stride] = result[q];
      }
    }
  }
}
