package org.isles.volume;

import java.util.Arrays;

/**
 * The geometry of a 3-D voxel grid: its matrix size and the voxel-to-world affine (RAS+ mm, as
 * nibabel reports it). Voxel (i, j, k) is stored at index {@code i + nx * (j + ny * k)}, the NIfTI
 * order, so a grid's linear index is the same as the file's.
 */
public final class Grid {
  /** Largest affine or spacing difference (mm) still taken as the same grid: float32 header round-off. */
  public static final double TOLERANCE_MM = 1e-3;

  private final int nx;
  private final int ny;
  private final int nz;
  private final double[] affine;

  /** @param affine 4x4 voxel-to-world matrix, row-major, 16 values */
  public Grid(int nx, int ny, int nz, double[] affine) {
    if (nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException("grid dimensions must be positive: " + nx + "x" + ny + "x" + nz);
    }
    if (affine.length != 16) {
      throw new IllegalArgumentException("affine must have 16 values, got " + affine.length);
    }
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.affine = affine.clone();
  }

  /** A grid with the given voxel sizes on the diagonal and its first voxel at the origin. */
  public static Grid axisAligned(int nx, int ny, int nz, double sx, double sy, double sz) {
    return new Grid(nx, ny, nz, new double[] {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1});
  }

  public int nx() {
    return nx;
  }

  public int ny() {
    return ny;
  }

  public int nz() {
    return nz;
  }

  public int[] shape() {
    return new int[] {nx, ny, nz};
  }

  public int size() {
    return Math.multiplyExact(Math.multiplyExact(nx, ny), nz);
  }

  public int index(int i, int j, int k) {
    return i + nx * (j + ny * k);
  }

  /** The affine as 16 row-major values (a copy). */
  public double[] affine() {
    return affine.clone();
  }

  public double affine(int row, int col) {
    return affine[4 * row + col];
  }

  /** Voxel sizes in mm: the lengths of the affine's first three columns. */
  public double[] spacing() {
    double[] spacing = new double[3];
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      for (int r = 0; r < 3; r++) {
        sum += affine[4 * r + c] * affine[4 * r + c];
      }
      spacing[c] = Math.sqrt(sum);
    }
    return spacing;
  }

  /** Volume of one voxel in mL (mm^3 / 1000). */
  public double voxelVolumeMl() {
    double[] s = spacing();
    return s[0] * s[1] * s[2] / 1000.0;
  }

  /** World coordinates (mm) of a voxel position, which may be fractional. */
  public double[] toWorld(double i, double j, double k) {
    double[] world = new double[3];
    for (int r = 0; r < 3; r++) {
      world[r] = affine[4 * r] * i + affine[4 * r + 1] * j + affine[4 * r + 2] * k + affine[4 * r + 3];
    }
    return world;
  }

  /**
   * Axis codes as nibabel's {@code aff2axcodes} gives them, e.g. "RAS" or "LPS": for each voxel
   * axis, the world direction it points to most.
   */
  public String orientation() {
    char[] positive = {'R', 'A', 'S'};
    char[] negative = {'L', 'P', 'I'};
    StringBuilder codes = new StringBuilder();
    boolean[] used = new boolean[3];
    for (int c = 0; c < 3; c++) {
      int best = -1;
      for (int r = 0; r < 3; r++) {
        if (!used[r] && (best < 0 || Math.abs(affine[4 * r + c]) > Math.abs(affine[4 * best + c]))) {
          best = r;
        }
      }
      used[best] = true;
      codes.append(affine[4 * best + c] >= 0 ? positive[best] : negative[best]);
    }
    return codes.toString();
  }

  /** True when both grids have the same shape and affines equal within {@code tolerance}. */
  public boolean sameGrid(Grid other, double tolerance) {
    if (nx != other.nx || ny != other.ny || nz != other.nz) {
      return false;
    }
    for (int n = 0; n < 16; n++) {
      if (Math.abs(affine[n] - other.affine[n]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grid g && nx == g.nx && ny == g.ny && nz == g.nz && Arrays.equals(affine, g.affine);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape()) + Arrays.hashCode(affine);
  }

  @Override
  public String toString() {
    return nx + "x" + ny + "x" + nz + " " + Arrays.toString(affine);
  }
}
