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
    double[] distances = squaredDistances(features, nx, ny, nz, spacing, null);
    for (int n = 0; n < distances.length; n++) {
      distances[n] = Math.sqrt(distances[n]);
    }
    return distances;
  }

  /**
   * The distances at the voxels {@code queries} only. The transform runs on the bounding box of
   * the features and the queries, which gives the same values since every feature lies inside
   * it, and its y and z passes skip the lines no query depends on.
   */
  public static double[] distancesAt(
      boolean[] features, int[] queries, int nx, int ny, int nz, double[] spacing) {
    BoundingBox box = BoundingBox.of(features, nx, ny, nz);
    double[] atQueries = new double[queries.length];
    if (box.isEmpty()) {
      Arrays.fill(atQueries, Double.POSITIVE_INFINITY);
      return atQueries;
    }
    box = box.union(BoundingBox.ofIndices(queries, nx, ny));
    int[] inBox = new int[queries.length];
    for (int q = 0; q < queries.length; q++) {
      int i = queries[q] % nx - box.x0();
      int j = (queries[q] / nx) % ny - box.y0();
      int k = queries[q] / (nx * ny) - box.z0();
      inBox[q] = i + box.nx() * (j + box.ny() * k);
    }
    double[] squared =
        squaredDistances(box.crop(features, nx, ny), box.nx(), box.ny(), box.nz(), spacing, inBox);
    for (int q = 0; q < queries.length; q++) {
      atQueries[q] = Math.sqrt(squared[inBox[q]]);
    }
    return atQueries;
  }

  /** Squared distances, exact at least at {@code queries} (all voxels when null). */
  private static double[] squaredDistances(
      boolean[] features, int nx, int ny, int nz, double[] spacing, int[] queries) {
    if ((long) nx * ny * nz != features.length || spacing.length != 3) {
      throw new IllegalArgumentException("feature mask of " + features.length + " voxels and "
          + spacing.length + " spacings do not match dimensions " + nx + "x" + ny + "x" + nz);
    }
    // The z pass needs the lines through the queries; each of them needs the y lines of its x.
    boolean[] zLines = null;
    boolean[] yLines = null;
    if (queries != null) {
      zLines = new boolean[nx * ny];
      boolean[] columns = new boolean[nx];
      for (int query : queries) {
        zLines[query % (nx * ny)] = true;
        columns[query % nx] = true;
      }
      yLines = new boolean[nx * nz];
      for (int n = 0; n < yLines.length; n++) {
        yLines[n] = columns[n % nx];
      }
    }
    double[] squared = new double[features.length];
    alongX(features, squared, nx, ny * nz, spacing[0]);
    Envelope envelope = new Envelope(Math.max(nx, Math.max(ny, nz)), nx);
    envelope.pass(squared, nx, nz, nx * ny, ny, nx, spacing[1], yLines);
    envelope.pass(squared, nx, ny, nx, nz, nx * ny, spacing[2], zLines);
    return squared;
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

  /** The 1-D lower envelope of parabolas, with work arrays reused for every line. */
  private static final class Envelope {
    private final double[] result;
    private final int[] roots;
    private final double[] boundaries;
    private double[] lines;
    private final int[] lineStarts;

    Envelope(int longest, int nx) {
      result = new double[longest];
      roots = new int[longest];
      boundaries = new double[longest + 1];
      lines = new double[0];
      lineStarts = new int[nx];
    }

    /**
     * Runs {@link #transform} on the lines along one axis (length {@code length}, stride
     * {@code stride}) that start at {@code i + slab * slabStride} for i < nx and slab < slabs,
     * where {@code needed[i + nx * slab]} (all when null). The lines of a slab are copied out
     * together, reading x-contiguous rows, so a large stride does not cost a cache miss per value.
     */
    void pass(double[] f, int nx, int slabs, int slabStride, int length, int stride, double spacing, boolean[] needed) {
      for (int slab = 0; slab < slabs; slab++) {
        int count = 0;
        for (int i = 0; i < nx; i++) {
          if (needed == null || needed[i + nx * slab]) {
            lineStarts[count++] = i + slab * slabStride;
          }
        }
        if (count == 0) {
          continue;
        }
        if (lines.length < count * length) {
          lines = new double[count * length];
        }
        for (int q = 0; q < length; q++) {
          int offset = q * stride;
          for (int line = 0; line < count; line++) {
            lines[line * length + q] = f[lineStarts[line] + offset];
          }
        }
        for (int line = 0; line < count; line++) {
          transform(lines, line * length, length, spacing);
        }
        for (int q = 0; q < length; q++) {
          int offset = q * stride;
          for (int line = 0; line < count; line++) {
            f[lineStarts[line] + offset] = lines[line * length + q];
          }
        }
      }
    }

    /**
     * Replaces f(q), q < length, of the line at {@code start} by min over p of
     * f(p) + ((q - p) * spacing)^2. Infinite values root no parabola.
     */
    private void transform(double[] f, int start, int length, double spacing) {
      int top = -1;
      for (int q = 0; q < length; q++) {
        double value = f[start + q];
        if (value == Double.POSITIVE_INFINITY) {
          continue;
        }
        double position = q * spacing;
        double lifted = value + position * position;
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
          crossing = (lifted - (f[start + roots[top]] + rootPosition * rootPosition))
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
        result[q] = d * d + f[start + roots[parabola]];
      }
      System.arraycopy(result, 0, f, start, length);
    }
  }
}
