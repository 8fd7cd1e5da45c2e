package org.isles.metrics;

/**
 * The boundary voxels of a mask as medpy defines them for its distance metrics:
 * {@code mask ^ binary_erosion(mask, generate_binary_structure(3, 1))} with scipy's default
 * border value 0, so a mask voxel is on the surface when a face neighbour is background or lies
 * outside the array.
 */
public final class Surface {
  private Surface() {}

  public static boolean[] of(boolean[] mask, int nx, int ny, int nz) {
    int slice = nx * ny;
    boolean[] surface = new boolean[mask.length];
    int index = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++, index++) {
          if (!mask[index]) {
            continue;
          }
          surface[index] = i == 0 || i == nx - 1 || j == 0 || j == ny - 1 || k == 0 || k == nz - 1
              || !mask[index - 1] || !mask[index + 1]
              || !mask[index - nx] || !mask[index + nx]
              || !mask[index - slice] || !mask[index + slice];
        }
      }
    }
    return surface;
  }

  /** The linear indices of the true voxels, ascending. */
  public static int[] indices(boolean[] mask) {
    int count = 0;
    for (boolean voxel : mask) {
      if (voxel) {
        count++;
      }
    }
    int[] indices = new int[count];
    for (int n = 0, next = 0; n < mask.length; n++) {
      if (mask[n]) {
        indices[next++] = n;
      }
    }
    return indices;
  }
}
